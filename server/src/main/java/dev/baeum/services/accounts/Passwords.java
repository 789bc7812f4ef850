package dev.baeum.services.accounts;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** bcrypt, via a vetted library; the cost keeps a login near 50-100 ms on a small server. */
public final class Passwords {

    private static final int COST = 10;
    /** bcrypt only reads 72 bytes; longer inputs are refused rather than silently cut. */
    public static final int MAX_BYTES = 72;
    public static final int MIN_LENGTH = 8;

    private Passwords() {
    }

    public static String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    /**
     * Whether the password matches the hash. Without a hash (no such user, or a guest) it still runs one
     * bcrypt verification, against a hash of a random password, so the answer takes as long as for a real
     * account and the timing does not tell which usernames exist.
     */
    public static boolean matches(String password, String hash) {
        byte[] given = (password == null ? "" : password).getBytes(StandardCharsets.UTF_8);
        if (hash == null || given.length > MAX_BYTES) { // no account, or a password no account can have
            BCrypt.verifyer().verify(Arrays.copyOf(given, Math.min(given.length, MAX_BYTES)), DUMMY_HASH);
            return false;
        }
        return BCrypt.verifyer().verify(given, hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** The same cost as real hashes; its password is random and forgotten. */
    private static final byte[] DUMMY_HASH = hash(Tokens.random(24)).getBytes(StandardCharsets.UTF_8);

    /** A Korean reason the password is not acceptable, or null. */
    public static String problem(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "비밀번호는 " + MIN_LENGTH + "자 이상이어야 합니다.";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "비밀번호가 너무 깁니다 (UTF-8로 " + MAX_BYTES + "바이트 이하).";
        }
        return null;
    }
}
