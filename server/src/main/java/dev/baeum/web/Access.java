package dev.baeum.web;

import io.javalin.security.RouteRole;

/** Who may call a route; the route tree names one per endpoint and a before-handler enforces it. */
public enum Access implements RouteRole {
    /** Anyone, logged in or not. */
    ANYONE,
    /** Any identity, a guest included. */
    LEARNER,
    /** A real account (not a guest). */
    MEMBER,
    /** Instructors only. */
    INSTRUCTOR,
    /** An instructor's API token (or an instructor's browser session). */
    API,
    /**
     * A docker lab's port preview: any identity, reaching only its own session's containers. The learner's own
     * app answers there, so its forms carry no CSRF token of ours; a forged request could only reach the
     * viewer's own containers.
     */
    PREVIEW
}
