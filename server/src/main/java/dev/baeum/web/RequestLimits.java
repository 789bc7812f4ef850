package dev.baeum.web;

import dev.baeum.services.limits.RateLimiter;

/** The rate limiter together with what keys it by client address (behind the configured proxy hops). */
public record RequestLimits(RateLimiter limiter, ClientAddresses clients) {
}
