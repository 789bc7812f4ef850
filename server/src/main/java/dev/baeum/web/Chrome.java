package dev.baeum.web;

import dev.baeum.services.accounts.User;

/** What every page's frame needs: title, who is looking, the CSRF token for its forms, the active menu. */
public record Chrome(String title, User viewer, String csrf, String section, String description) {

    public boolean loggedIn() {
        return viewer != null;
    }

    public boolean instructor() {
        return viewer != null && viewer.isInstructor();
    }

    public boolean guest() {
        return viewer != null && viewer.isGuest();
    }
}
