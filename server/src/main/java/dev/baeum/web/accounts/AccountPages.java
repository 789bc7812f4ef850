package dev.baeum.web.accounts;

import dev.baeum.services.accounts.ApiTokens;
import dev.baeum.services.accounts.User;
import dev.baeum.web.Chrome;

import java.util.List;

/** Page models for {@code web/templates/accounts/}. */
public final class AccountPages {

    private AccountPages() {
    }

    public record LoginPage(Chrome chrome, String next, String error, String username, boolean guests, long guestMinutes) {
    }

    public record SignupPage(Chrome chrome, String next, String error, String username, String displayName,
                             boolean guest) {
    }

    public record AccountPage(Chrome chrome, User user, List<ApiTokens.TokenInfo> tokens, String newToken,
                              String baseUrl) {
    }
}
