
# Docker labs: the engine is the session's own, behind /var/run/docker.sock (see `docker info`).
export DOCKER_BUILDKIT=0
export COMPOSE_DOCKER_CLI_BUILD=0
