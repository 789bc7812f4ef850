package dev.baeum.services.limits;

import dev.baeum.base.config.Setting;

/** Everything that is rate-limited, with the setting that sizes it and what a refused person reads. */
public enum Limit {
    LOGIN_IP("login-ip", Setting.LIMITS_LOGIN_IP,
            "이 주소에서 로그인에 너무 많이 실패했습니다. %s 다시 시도해 주세요."),
    LOGIN_ACCOUNT("login-account", Setting.LIMITS_LOGIN_ACCOUNT,
            "로그인에 여러 번 실패해서 이 계정의 로그인을 잠시 잠갔습니다. %s 다시 시도해 주세요. "
                    + "비밀번호가 기억나지 않으면 강사에게 문의하세요."),
    SIGNUP_IP("signup-ip", Setting.LIMITS_SIGNUP_IP,
            "이 주소에서 가입 요청이 너무 많습니다. %s 다시 시도해 주세요."),
    GUEST_IP("guest-ip", Setting.LIMITS_GUEST_IP,
            "이 주소에서 게스트 체험을 너무 많이 시작했습니다. %s 다시 시도하거나, 가입해서 이용해 주세요."),
    SESSION_IP("session-ip", Setting.LIMITS_SESSION_IP,
            "이 주소에서 실습 환경을 너무 자주 시작했습니다. %s 다시 시도해 주세요."),
    SESSION_ACCOUNT("session-account", Setting.LIMITS_SESSION_ACCOUNT,
            "실습 환경을 너무 자주 시작하거나 초기화했습니다. 열려 있는 실습 환경을 이어서 쓰거나 %s 다시 시도해 주세요."),
    GRADING_IP("grading-ip", Setting.LIMITS_GRADING_IP,
            "이 주소의 채점 요청이 너무 많습니다. %s 다시 보내 주세요."),
    GRADING_ACCOUNT("grading-account", Setting.LIMITS_GRADING_ACCOUNT,
            "이 API 토큰의 채점 요청이 너무 많습니다. %s 다시 보내 주세요.");

    private final String id;
    private final Setting setting;
    private final String message;

    Limit(String id, Setting setting, String message) {
        this.id = id;
        this.setting = setting;
        this.message = message;
    }

    /** Short name used in counter keys and metrics, e.g. {@code login-ip}. */
    public String id() {
        return id;
    }

    public Setting setting() {
        return setting;
    }

    /** The Korean refusal, saying when to come back ("3분 뒤", "40초 뒤"). */
    String message(long retryAfterSeconds) {
        String when = retryAfterSeconds < 60 ? retryAfterSeconds + "초 뒤"
                : ((retryAfterSeconds + 59) / 60) + "분 뒤";
        return message.formatted(when);
    }
}
