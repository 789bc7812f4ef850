-- The hand-written Dockerfile builder is gone: a graded file (a Dockerfile among others) is now a FILE submission,
-- placed where the lab's `submission:` says and built with the real docker build.
UPDATE gradings SET kind = 'FILE' WHERE kind = 'DOCKERFILE';
