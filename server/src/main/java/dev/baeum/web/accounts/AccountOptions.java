package dev.baeum.web.accounts;

/**
 * How accounts are offered here.
 *
 * @param guestsAllowed whether visitors may start a guest identity (guest.enabled)
 * @param guestMinutes  how long a guest's lab session lives, for the login page to say so
 * @param publicUrl     the address API tokens are used against; blank: the request's own
 */
public record AccountOptions(boolean guestsAllowed, long guestMinutes, String publicUrl) {
}
