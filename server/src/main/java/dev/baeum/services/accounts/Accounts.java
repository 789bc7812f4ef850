package dev.baeum.services.accounts;

/** The accounts and their API tokens, which the account pages manage together. */
public record Accounts(UserRepository users, ApiTokens tokens) {
}
