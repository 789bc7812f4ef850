package dev.baeum.web.accounts;

import dev.baeum.base.db.Sql;
import dev.baeum.services.accounts.Accounts;
import dev.baeum.services.accounts.ApiTokens;
import dev.baeum.services.accounts.Passwords;
import dev.baeum.services.accounts.Role;
import dev.baeum.services.accounts.User;
import dev.baeum.services.accounts.UserRepository;
import dev.baeum.services.limits.Limit;
import dev.baeum.services.limits.RateLimitedException;
import dev.baeum.services.limits.RateLimiter;
import dev.baeum.web.ClientAddresses;
import dev.baeum.web.Identity;
import dev.baeum.web.RequestLimits;
import dev.baeum.web.Views;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;

import java.util.regex.Pattern;

/** Sign up, log in, log out, guest identities and API tokens. */
public final class AccountController {

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9_]{3,32}");

    private final UserRepository users;
    private final ApiTokens tokens;
    private final Identity identity;
    private final Views views;
    private final boolean guestsAllowed;
    private final long guestMinutes;
    private final String publicUrl;
    private final RateLimiter limits;
    private final ClientAddresses clients;

    public AccountController(Accounts accounts, Identity identity, Views views, AccountOptions options,
                             RequestLimits limits) {
        this.users = accounts.users();
        this.tokens = accounts.tokens();
        this.identity = identity;
        this.views = views;
        this.guestsAllowed = options.guestsAllowed();
        this.guestMinutes = options.guestMinutes();
        this.publicUrl = options.publicUrl();
        this.limits = limits.limiter();
        this.clients = limits.clients();
    }

    public void loginForm(Context ctx) {
        views.render(ctx, "accounts/login.jte", new AccountPages.LoginPage(views.chrome(ctx, "로그인", "account"),
                safeNext(ctx.queryParam("next")), null, "", guestsAllowed, guestMinutes));
    }

    public void login(Context ctx) {
        String username = trim(ctx.formParam("username")).toLowerCase();
        String password = ctx.formParam("password") == null ? "" : ctx.formParam("password");
        String next = safeNext(ctx.formParam("next"));
        String address = clients.key(ctx);
        try {
            // Every attempt counts first (parallel guesses stay inside the limit); a right password is given back.
            limits.acquire(Limit.LOGIN_IP, address);
            limits.acquire(Limit.LOGIN_ACCOUNT, username);
        } catch (RateLimitedException e) {
            refused(ctx, e);
            views.render(ctx, "accounts/login.jte", new AccountPages.LoginPage(views.chrome(ctx, "로그인", "account"),
                    next, e.getMessage(), username, guestsAllowed, guestMinutes));
            return;
        }
        // The same work whether or not the account exists: one query, one bcrypt verification.
        String hash = users.passwordHash(username).orElse(null);
        if (!Passwords.matches(password, hash)) {
            ctx.status(400);
            views.render(ctx, "accounts/login.jte", new AccountPages.LoginPage(views.chrome(ctx, "로그인", "account"),
                    next, "아이디 또는 비밀번호가 올바르지 않습니다.", username, guestsAllowed, guestMinutes));
            return;
        }
        limits.release(Limit.LOGIN_IP, address);
        limits.clear(Limit.LOGIN_ACCOUNT, username);
        identity.login(ctx, users.findByUsername(username).orElseThrow());
        ctx.redirect(next);
    }

    public void signupForm(Context ctx) {
        boolean guest = identity.viewer(ctx).map(User::isGuest).orElse(false);
        views.render(ctx, "accounts/signup.jte", new AccountPages.SignupPage(views.chrome(ctx, "가입", "account"),
                safeNext(ctx.queryParam("next")), null, "", "", guest));
    }

    public void signup(Context ctx) {
        String username = trim(ctx.formParam("username")).toLowerCase();
        String displayName = trim(ctx.formParam("displayName"));
        String password = ctx.formParam("password") == null ? "" : ctx.formParam("password");
        String next = safeNext(ctx.formParam("next"));
        User current = identity.viewer(ctx).orElse(null);
        boolean guest = current != null && current.isGuest();
        try {
            limits.acquire(Limit.SIGNUP_IP, clients.key(ctx));
        } catch (RateLimitedException e) {
            refused(ctx, e);
            views.render(ctx, "accounts/signup.jte", new AccountPages.SignupPage(views.chrome(ctx, "가입", "account"),
                    next, e.getMessage(), username, displayName, guest));
            return;
        }
        String error = null;
        if (!USERNAME.matcher(username).matches()) {
            error = "아이디는 영문 소문자, 숫자, 밑줄(_)로 3~32자여야 합니다.";
        } else if (displayName.isEmpty() || displayName.length() > 30) {
            error = "이름은 1~30자로 적어 주세요.";
        } else if (Passwords.problem(password) != null) {
            error = Passwords.problem(password);
        } else if (!password.equals(ctx.formParam("passwordConfirm"))) {
            error = "비밀번호 확인이 일치하지 않습니다.";
        } else if (users.findByUsername(username).isPresent()) {
            error = "이미 쓰고 있는 아이디입니다. 다른 아이디를 골라 주세요.";
        }
        if (error == null) {
            try {
                User user;
                if (guest) { // keep what the guest already did
                    users.upgradeGuest(current.id(), username, displayName, Passwords.hash(password));
                    user = users.find(current.id()).orElseThrow();
                } else {
                    user = users.create(username, displayName, Passwords.hash(password), Role.LEARNER);
                }
                identity.login(ctx, user);
                ctx.redirect(next);
                return;
            } catch (Sql.DataException e) {
                if (!e.isUniqueViolation()) {
                    throw e;
                }
                error = "이미 쓰고 있는 아이디입니다. 다른 아이디를 골라 주세요.";
            }
        }
        ctx.status(400);
        views.render(ctx, "accounts/signup.jte", new AccountPages.SignupPage(views.chrome(ctx, "가입", "account"),
                next, error, username, displayName, guest));
    }

    public void logout(Context ctx) {
        identity.logout(ctx);
        ctx.redirect("/");
    }

    /** Starts a guest identity (if guests are allowed) and goes back to where the learner was. */
    public void guest(Context ctx) {
        if (!guestsAllowed) {
            throw new ForbiddenResponse("이 서버에서는 게스트 체험을 쓸 수 없습니다. 가입하거나 로그인해 주세요.");
        }
        if (identity.viewer(ctx).isEmpty()) {
            limits.acquire(Limit.GUEST_IP, clients.key(ctx)); // refused: the error page says so, with 429
            identity.viewerOrGuest(ctx);
        }
        ctx.redirect(safeNext(ctx.formParam("next")));
    }

    public void account(Context ctx) {
        User user = identity.viewer(ctx).orElseThrow();
        views.render(ctx, "accounts/account.jte", new AccountPages.AccountPage(views.chrome(ctx, "내 계정", "account"),
                user, user.isInstructor() ? tokens.list(user.id()) : java.util.List.of(), null, baseUrl(ctx)));
    }

    public void createToken(Context ctx) {
        User user = identity.viewer(ctx).orElseThrow();
        String name = trim(ctx.formParam("name"));
        String token = tokens.create(user.id(), name.isEmpty() ? "API 토큰" : name.substring(0, Math.min(100, name.length())));
        views.render(ctx, "accounts/account.jte", new AccountPages.AccountPage(views.chrome(ctx, "내 계정", "account"),
                user, tokens.list(user.id()), token, baseUrl(ctx)));
    }

    public void revokeToken(Context ctx) {
        User user = identity.viewer(ctx).orElseThrow();
        try {
            tokens.revoke(user.id(), Long.parseLong(ctx.pathParam("id")));
        } catch (NumberFormatException ignored) {
            // nothing to revoke
        }
        ctx.redirect("/account");
    }

    /** A refusal shown in the form itself, so the person can simply try again later. */
    private static void refused(Context ctx, RateLimitedException e) {
        ctx.status(429).header("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }

    private String baseUrl(Context ctx) {
        return publicUrl.isBlank() ? ctx.scheme() + "://" + ctx.host() : publicUrl.replaceAll("/+$", "");
    }

    /** Only local paths, so a login link cannot send people to another site. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
            return "/";
        }
        return next;
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }
}
