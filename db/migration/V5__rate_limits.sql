-- Rate-limit counters in fixed windows, shared by every server instance on this database.
-- bucket is "<limit>:<subject>", e.g. "login-ip:203.0.113.7" or "login-account:kim".
CREATE TABLE rate_windows (
    bucket       VARCHAR(200) NOT NULL,
    window_start TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,   -- end of the window; purged after it
    hits         INT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_windows_expires ON rate_windows (expires_at);
