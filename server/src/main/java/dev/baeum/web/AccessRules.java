package dev.baeum.web;

import dev.baeum.services.accounts.User;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.security.RouteRole;

import java.util.Set;

/** Enforces the {@link Access} role each route declares in the route tree, and CSRF on every change. */
public final class AccessRules {

    public static final String API_USER = "baeum.apiUser";

    private final Identity identity;

    public AccessRules(Identity identity) {
        this.identity = identity;
    }

    public void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty() || roles.contains(Access.ANYONE)) {
            return;
        }
        if (roles.contains(Access.API)) {
            User user = Identity.hasBearer(ctx)
                    ? identity.apiUser(ctx).orElseThrow(() -> new UnauthorizedResponse("API 토큰이 없거나 올바르지 않습니다."))
                    : identity.viewer(ctx).orElseThrow(() -> new UnauthorizedResponse("API 토큰이 필요합니다 (Authorization: Bearer ...)."));
            if (!user.isInstructor()) {
                throw new ForbiddenResponse("강사의 API 토큰만 쓸 수 있습니다.");
            }
            ctx.attribute(API_USER, user);
            return;
        }
        User user = identity.viewer(ctx).orElseThrow(() -> new UnauthorizedResponse("로그인이 필요합니다."));
        if (roles.contains(Access.MEMBER) && user.isGuest()) {
            throw new ForbiddenResponse("가입한 계정으로만 쓸 수 있습니다. 가입하면 게스트 기록이 그대로 옮겨집니다.");
        }
        if (roles.contains(Access.INSTRUCTOR) && !user.isInstructor()) {
            throw new ForbiddenResponse("강사만 볼 수 있는 페이지입니다.");
        }
    }

    /** Every state-changing request needs the CSRF token, except API calls made with a bearer token. */
    public void csrf(Context ctx) {
        String method = ctx.method().name();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return;
        }
        if (Identity.hasBearer(ctx) && ctx.path().startsWith("/api/")) {
            return;
        }
        if (ctx.routeRoles().contains(Access.PREVIEW)) {
            return;
        }
        Csrf.verify(ctx);
    }
}
