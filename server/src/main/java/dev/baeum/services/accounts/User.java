package dev.baeum.services.accounts;

import java.time.Instant;

public record User(long id, String username, String displayName, Role role, Instant createdAt) {

    public boolean isGuest() {
        return role == Role.GUEST;
    }

    public boolean isInstructor() {
        return role == Role.INSTRUCTOR;
    }
}
