package dev.baeum.services.accounts;

/** What a user may do. Guests are throwaway identities with tighter lab limits. */
public enum Role {
    GUEST, LEARNER, INSTRUCTOR
}
