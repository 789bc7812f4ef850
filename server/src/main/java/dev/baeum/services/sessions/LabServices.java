package dev.baeum.services.sessions;

import dev.baeum.content.lab.Lab;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.runtime.sandbox.LabImages;
import dev.baeum.runtime.sandbox.SandboxRepository;
import dev.baeum.runtime.sandbox.SandboxSession;
import dev.baeum.services.accounts.User;
import dev.baeum.services.progress.ProgressRepository;

/**
 * What the lab pages and the session API work with, in one place: the learners' sandboxes, the lab images,
 * the checks, the records of sessions and progress, and whether Docker is there at all.
 *
 * @param guestsAllowed whether a visitor may try a lab as a guest (guest.enabled)
 */
public record LabServices(Sandboxes sandboxes, LabImages images, LabChecks checks, SandboxRepository records,
                          ProgressRepository progress, DockerEngine engine, boolean guestsAllowed) {

    /** Why labs cannot run here (in Korean), or null when the Docker engine is available. */
    public String labsProblem() {
        return engine.available() ? null : engine.status().problem();
    }

    /** Records that a learner opened a hint (its index as detail) or a solution, with their session if any. */
    public void reveal(User user, Lab lab, SandboxRepository.EventKind kind, Lab.Task task, String detail) {
        String sessionId = sandboxes.active(user, lab).map(SandboxSession::id).orElse(null);
        records.event(sessionId, user.id(), lab.id(), kind, task.id(), detail);
    }
}
