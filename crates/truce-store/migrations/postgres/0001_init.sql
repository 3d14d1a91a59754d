-- truce store schema, version 1 (PostgreSQL). Dates are 'YYYY-MM-DD' text ('' when unknown), so
-- keyset pagination compares plain values; instants are unix milliseconds; lists of vocabulary
-- terms are ',a,b,' text.

CREATE TABLE documents (
    seq         BIGSERIAL PRIMARY KEY,        -- insertion order: keyset tiebreak, small index entries
    id          TEXT COLLATE "C" NOT NULL UNIQUE,       -- sha256 hex of text
    text_len    BIGINT NOT NULL,           -- bytes
    published   TEXT COLLATE "C" NOT NULL DEFAULT '',
    language    TEXT COLLATE "C" NOT NULL,
    url         TEXT COLLATE "C",
    source      TEXT COLLATE "C",
    boilerplate TEXT COLLATE "C" NOT NULL DEFAULT '',   -- 'start-end,start-end'
    ingested_at BIGINT NOT NULL,
    text        TEXT COLLATE "C" NOT NULL            -- last: listings never read through its overflow pages
);
CREATE INDEX documents_by_published ON documents (published, seq);

CREATE TABLE incidents (
    seq            BIGSERIAL PRIMARY KEY,
    document       TEXT COLLATE "C" NOT NULL REFERENCES documents (id),
    ord            BIGINT NOT NULL,
    date           TEXT COLLATE "C" NOT NULL DEFAULT '',
    date_precision TEXT COLLATE "C" NOT NULL,
    place          TEXT COLLATE "C",
    admin1         TEXT COLLATE "C",
    country        TEXT COLLATE "C",
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    geo_precision  TEXT COLLATE "C",
    perpetrator    TEXT COLLATE "C" NOT NULL,
    reported_by    TEXT COLLATE "C" NOT NULL,
    weapons        TEXT COLLATE "C" NOT NULL,
    targets        TEXT COLLATE "C" NOT NULL,
    killed_n       BIGINT,
    killed_q       TEXT COLLATE "C",
    killed_vague   BIGINT,
    injured_n      BIGINT,
    injured_q      TEXT COLLATE "C",
    injured_vague  BIGINT,
    ev_start       BIGINT NOT NULL,
    ev_end         BIGINT NOT NULL,
    ev_text        TEXT COLLATE "C" NOT NULL,
    UNIQUE (document, ord)
);
CREATE INDEX incidents_by_date ON incidents (date, seq);
CREATE INDEX incidents_by_admin1 ON incidents (admin1, date, seq);
CREATE INDEX incidents_by_place ON incidents (place, date, seq);
CREATE INDEX incidents_by_perpetrator ON incidents (perpetrator, date, seq);

CREATE TABLE statements (
    seq      BIGSERIAL PRIMARY KEY,
    document TEXT COLLATE "C" NOT NULL REFERENCES documents (id),
    ord      BIGINT NOT NULL,
    date     TEXT COLLATE "C" NOT NULL DEFAULT '',
    speaker  TEXT COLLATE "C" NOT NULL,
    party    TEXT COLLATE "C" NOT NULL,
    act      TEXT COLLATE "C" NOT NULL,
    about    TEXT COLLATE "C" NOT NULL,
    target   TEXT COLLATE "C",
    ev_start BIGINT NOT NULL,
    ev_end   BIGINT NOT NULL,
    ev_text  TEXT COLLATE "C" NOT NULL,
    UNIQUE (document, ord)
);
CREATE INDEX statements_by_date ON statements (date, seq);
CREATE INDEX statements_by_party ON statements (party, date, seq);

CREATE TABLE events (
    id          TEXT COLLATE "C" PRIMARY KEY,
    date        TEXT COLLATE "C" NOT NULL DEFAULT '',
    place       TEXT COLLATE "C",
    admin1      TEXT COLLATE "C",
    country     TEXT COLLATE "C",
    lat         DOUBLE PRECISION,
    lon         DOUBLE PRECISION,
    perpetrator TEXT COLLATE "C" NOT NULL,
    targets     TEXT COLLATE "C" NOT NULL,
    payload     TEXT COLLATE "C" NOT NULL,              -- the merged event as JSON (the events crate's DTO)
    updated_at  BIGINT NOT NULL
);
CREATE INDEX events_by_date ON events (date, id);
CREATE INDEX events_by_admin1 ON events (admin1, date, id);
CREATE INDEX events_by_place ON events (place, date, id);
CREATE INDEX events_by_perpetrator ON events (perpetrator, date, id);

CREATE TABLE event_members (
    event    TEXT COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    document TEXT COLLATE "C" NOT NULL,
    ord      BIGINT NOT NULL,
    PRIMARY KEY (event, document, ord),
    FOREIGN KEY (document, ord) REFERENCES incidents (document, ord)
);
CREATE INDEX event_members_by_incident ON event_members (document, ord);

CREATE TABLE agreements (
    id         TEXT COLLATE "C" PRIMARY KEY,
    title      TEXT COLLATE "C" NOT NULL,
    toml       TEXT COLLATE "C" NOT NULL,
    summary    TEXT COLLATE "C" NOT NULL,               -- the parsed agreement as JSON
    updated_at BIGINT NOT NULL
);

CREATE TABLE verdicts (
    event      TEXT COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    agreement  TEXT COLLATE "C" NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    verdict    TEXT COLLATE "C" NOT NULL,
    strength   TEXT COLLATE "C",
    reason     TEXT COLLATE "C" NOT NULL,
    engine     TEXT COLLATE "C" NOT NULL,
    entries    TEXT COLLATE "C" NOT NULL,               -- log indexes read, 'i,j,k'
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (event, agreement)
);
CREATE INDEX verdicts_by_verdict ON verdicts (verdict, event, agreement);
CREATE INDEX verdicts_by_agreement ON verdicts (agreement, event);

CREATE TABLE reports (
    id       BIGSERIAL PRIMARY KEY,
    author   TEXT COLLATE "C" NOT NULL,
    body     TEXT COLLATE "C" NOT NULL,                 -- the structured field report as JSON
    document TEXT COLLATE "C" REFERENCES documents (id),
    at       BIGINT NOT NULL
);

CREATE TABLE reviews (
    id     BIGSERIAL PRIMARY KEY,
    event  TEXT COLLATE "C" NOT NULL,                 -- no foreign key: reviews outlive re-merged events
    action TEXT COLLATE "C" NOT NULL CHECK (action IN ('verify', 'dispute', 'duplicate')),
    author TEXT COLLATE "C" NOT NULL,
    note   TEXT COLLATE "C" NOT NULL,
    at     BIGINT NOT NULL
);
CREATE INDEX reviews_by_event ON reviews (event, id);

CREATE TABLE tokens (
    id         BIGSERIAL PRIMARY KEY,
    hash       TEXT COLLATE "C" NOT NULL UNIQUE,
    role       TEXT COLLATE "C" NOT NULL CHECK (role IN ('public', 'monitor', 'analyst', 'admin')),
    label      TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE audit (
    id      BIGSERIAL PRIMARY KEY,
    at      BIGINT NOT NULL,
    author  TEXT COLLATE "C" NOT NULL,
    action  TEXT COLLATE "C" NOT NULL,
    subject TEXT COLLATE "C" NOT NULL,
    detail  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE jobs (
    id         BIGSERIAL PRIMARY KEY,
    key        TEXT COLLATE "C" NOT NULL UNIQUE,
    payload    TEXT COLLATE "C" NOT NULL,
    state      TEXT COLLATE "C" NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
    worker     TEXT COLLATE "C",
    lease_until BIGINT,                -- a running job whose lease expired is handed out again
    attempts   BIGINT NOT NULL DEFAULT 0,
    error      TEXT COLLATE "C",
    created_at BIGINT NOT NULL
);
CREATE INDEX jobs_by_state ON jobs (state, id);

CREATE TABLE log_tiles (
    level BIGINT NOT NULL,
    idx   BIGINT NOT NULL,
    width BIGINT NOT NULL,
    data  BYTEA NOT NULL,
    PRIMARY KEY (level, idx)
);

CREATE TABLE log_bundles (
    idx   BIGINT PRIMARY KEY,
    width BIGINT NOT NULL,
    data  BYTEA NOT NULL
);

CREATE TABLE log_checkpoints (
    size BIGINT PRIMARY KEY,
    note BYTEA NOT NULL,
    at   BIGINT NOT NULL
);

CREATE TABLE log_key (
    id       BIGINT PRIMARY KEY CHECK (id = 1),
    path     TEXT COLLATE "C" NOT NULL,
    verifier TEXT COLLATE "C" NOT NULL
);
