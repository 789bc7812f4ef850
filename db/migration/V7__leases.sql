-- Short leases that make server instances on one database take turns, e.g. one reaper pass at a time.
CREATE TABLE leases (
    name       VARCHAR(100) PRIMARY KEY,
    holder     VARCHAR(100) NOT NULL,            -- a server instance
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL -- a holder that died stops counting after this
);
