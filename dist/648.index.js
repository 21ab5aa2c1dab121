export const id = 648;
export const ids = [648];
export const modules = {

/***/ 8648:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

;// CONCATENATED MODULE: ./src/engine/clock.ts
/** Node fires a timer at once when its delay exceeds a signed 32-bit number of ms (~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => sleepInChunks(ms, signal, MAX_TIMER_MS)
};
/**
 * Sleeps ms in timers of at most `chunkMs` each, so a sleep of any length (a BMC window weeks away) waits
 * its whole length instead of firing at once; an abort ends it at any point.
 */
function sleepInChunks(ms, signal, chunkMs) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(signal.reason);
        const end = Date.now() + Math.max(0, ms);
        let timer;
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        const wait = (left) => {
            timer = setTimeout(() => {
                const rest = end - Date.now();
                if (rest > 0)
                    return wait(rest);
                signal?.removeEventListener('abort', onAbort);
                resolve();
            }, Math.min(left, chunkMs));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        // At least one timer, even for 0 ms: a sleep always yields to I/O, as before.
        wait(Math.max(0, end - Date.now()));
    });
}
/** A clock that only moves when the code under test sleeps: each sleep advances it at once. */
class VirtualClock {
    current;
    constructor(current = 0) {
        this.current = current;
    }
    now() {
        return this.current;
    }
    async sleep(ms, signal) {
        if (signal?.aborted)
            throw signal.reason;
        this.current += Math.max(0, ms);
        await Promise.resolve();
    }
    advance(ms) {
        this.current += ms;
    }
}

;// CONCATENATED MODULE: ./src/errors.ts
/** The one error type that reaches the user: a message written for them, an optional hint on what to do. */
class ActionError extends Error {
    hint;
    /** HTTP status of the response that caused it, when there was one. */
    httpStatus;
    /** A fault that may pass (network error, 5xx, 429): a poll loop may try again later. */
    transient;
    /** Several problems at once (bad inputs): each on its own, for a list and an annotation per file position. */
    items;
    constructor(message, options = {}) {
        super(message, { cause: options.cause });
        this.name = 'ActionError';
        this.hint = options.hint;
        this.httpStatus = options.httpStatus;
        this.transient = options.transient ?? false;
        this.items = options.items;
    }
    /** Message and hint as one paragraph, the way the log and the summary show it. */
    get userMessage() {
        return this.hint ? `${this.message}\nHint: ${this.hint}` : this.message;
    }
}
/**
 * name, message and code of anything thrown. Read by shape, not `instanceof`: errors raised inside Node's
 * own modules can come from another realm (jest's VM contexts, for one) and fail `instanceof Error`.
 */
function errorFields(error) {
    if (error && typeof error === 'object') {
        const record = error;
        return {
            name: typeof record.name === 'string' ? record.name : '',
            message: typeof record.message === 'string' ? record.message : String(error),
            code: typeof record.code === 'string' ? record.code : ''
        };
    }
    return { name: '', message: String(error), code: '' };
}
/** Any thrown value as an ActionError, so nothing reaches the user as a stack trace. */
function toActionError(error) {
    if (error instanceof ActionError)
        return error;
    return new ActionError(errorFields(error).message, { cause: error });
}
function isAbortError(error) {
    const { name } = errorFields(error);
    return name === 'AbortError' || name === 'TimeoutError';
}

;// CONCATENATED MODULE: ./src/engine/batch.ts

/** Outcomes a dependent cannot build on. */
const FAILING = new Set(['failed', 'timed-out', 'canceled']);
const SAID = {
    failed: 'failed',
    'timed-out': 'timed out',
    canceled: 'was canceled',
    succeeded: 'succeeded',
    skipped: 'was skipped',
    started: 'started'
};
/**
 * Runs items in dependency order, independent ones in parallel up to maxParallel, starting ready items in
 * the order given. An item whose dependency failed, timed out or was canceled does not run: it ends
 * `skipped` with a message naming that dependency, and so do the items that need it; the rest finish.
 * Results come back in the order of the items. `needs` must form no cycle (checked with the inputs).
 */
function runBatch(items, options) {
    const results = new Map();
    /** Why an item did not run, for the message of what needs it. */
    const notRunBecause = new Map();
    const names = new Set(options.ignoreNeeds ? [] : items.map(item => item.name));
    let pending = [...items];
    let running = 0;
    return new Promise(resolve => {
        const settle = (item, result) => {
            results.set(item.name, result);
        };
        const blocker = (item) => {
            for (const need of item.needs) {
                if (!names.has(need))
                    continue;
                const cause = notRunBecause.get(need);
                if (cause)
                    return `not run: it needs ${need}, which did not run (${cause})`;
                const done = results.get(need);
                if (done && FAILING.has(done.status))
                    return `not run: it needs ${need}, which ${SAID[done.status]}`;
            }
            return undefined;
        };
        const ready = (item) => item.needs.every(need => !names.has(need) || results.has(need));
        const pump = () => {
            for (let changed = true; changed;) {
                changed = false;
                for (const item of pending) {
                    if (options.signal.aborted) {
                        settle(item, options.notRun(item, 'canceled', 'not started: the workflow run was cancelled'));
                    }
                    else {
                        const blocked = blocker(item);
                        if (blocked) {
                            notRunBecause.set(item.name, rootCause(item, blocked, notRunBecause));
                            settle(item, options.notRun(item, 'skipped', blocked));
                        }
                        else if (!ready(item) || running >= options.maxParallel)
                            continue;
                        else
                            start(item);
                    }
                    pending = pending.filter(other => other !== item);
                    changed = true;
                    break;
                }
            }
            if (running === 0 && pending.length > 0) {
                // Unreachable while the inputs are checked for cycles; never hang if they were not.
                for (const item of pending)
                    settle(item, options.notRun(item, 'failed', 'not run: its needs form a cycle'));
                pending = [];
            }
            if (running === 0 && pending.length === 0)
                resolve(items.map(item => results.get(item.name)));
        };
        const start = (item) => {
            running++;
            options
                .execute(item)
                .catch(error => options.notRun(item, 'failed', `failed unexpectedly: ${errorFields(error).message}`))
                .then(result => {
                settle(item, result);
                running--;
                pump();
            });
        };
        pump();
    });
}
/** `hr-services failed`: the first failure down the chain, so a long chain names where it broke. */
function rootCause(item, message, notRunBecause) {
    for (const need of item.needs) {
        const cause = notRunBecause.get(need);
        if (cause)
            return cause;
    }
    return message.replace(/^not run: it needs (\S+), which /, '$1 ');
}

;// CONCATENATED MODULE: ./src/http/decode.ts

/**
 * Checks a response body against its schema. A vendor change becomes an error that names the field,
 * never an `undefined` deep inside the action.
 */
function decode(schema, body, describe) {
    const parsed = schema.safeParse(body);
    if (parsed.success)
        return parsed.data;
    const problems = parsed.error.issues
        .slice(0, 3)
        .map(issue => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
        .join('; ');
    const shown = JSON.stringify(body) ?? 'nothing';
    throw new ActionError(`${describe} answered in a shape this action does not know (${problems}): ${shown.slice(0, 200)}`, {
        hint: 'The server may run an API version this action does not support yet; please open an issue with this message.'
    });
}
/** The `message` field of a vendor error body, or its text. */
function errorMessageOf(body, fallback) {
    if (body && typeof body === 'object') {
        const record = body;
        for (const key of ['message', 'errorMessage', 'error', 'detail']) {
            const value = record[key];
            if (typeof value === 'string' && value.trim())
                return value.trim();
        }
    }
    if (typeof body === 'string' && body.trim())
        return body.trim().slice(0, 500);
    return fallback;
}
/** The response when it is a success; otherwise the vendor's refusal as an ActionError. */
function ensureOk(response, describe, style) {
    if (response.status >= 200 && response.status < 300)
        return response;
    throw refusedError(response, describe, style);
}
/** `<vendor> refused <request>: HTTP <status>: <the vendor's message>`, with a hint where one helps. */
function refusedError(response, describe, style) {
    const { status } = response;
    const message = errorMessageOf(response.body, response.text.trim() || `HTTP ${status}`);
    return new ActionError(`${style.vendor} refused ${describe}: HTTP ${status}: ${message.slice(0, 500)}`, {
        httpStatus: status,
        hint: style.hints?.[status],
        transient: status === 429 || status >= (style.transientFrom ?? 500)
    });
}

;// CONCATENATED MODULE: ./src/text/duration.ts
/** How durations are printed back: used by the inputs' messages, the HTTP client, the drivers and the report. */
/** 5400000 → `1h30m`, 90000 → `1m30s`, 1500 → `1.5s`: how durations are printed back. */
function formatDuration(ms) {
    if (ms < 60_000)
        return `${Math.round(ms / 100) / 10}s`;
    const totalSeconds = Math.round(ms / 1000);
    const hours = Math.floor(totalSeconds / 3600);
    const minutes = Math.floor((totalSeconds % 3600) / 60);
    const seconds = totalSeconds % 60;
    return [hours && `${hours}h`, minutes && `${minutes}m`, seconds && `${seconds}s`].filter(Boolean).join('');
}

;// CONCATENATED MODULE: ./src/drivers/dry-run.ts

/**
 * Runs a driver's read-only look-ups in order and says what each proved. The first look-up also proves the
 * server is reachable and the credentials accepted — or, failing, which of the two it was: no HTTP status
 * means the server was not reached, 401/403 that the credentials were refused. Any other failure is the
 * look-up's own (the target is unknown). Triggers nothing: the look-ups only read.
 */
async function runDryRunLookups(lookups) {
    const checks = [];
    for (const [index, lookup] of lookups.entries()) {
        try {
            const detail = await lookup.run();
            if (index === 0)
                checks.push(...accessChecks());
            checks.push({ check: lookup.check, ok: true, detail });
        }
        catch (error) {
            const failure = toActionError(error);
            const detail = failure.hint ? `${failure.message} (${failure.hint})` : failure.message;
            if (failure.httpStatus === undefined && failure.transient) {
                checks.push({ check: 'server reachable', ok: false, detail });
                return checks;
            }
            if (failure.httpStatus === 401 || failure.httpStatus === 403) {
                checks.push({ check: 'server reachable', ok: true, detail: 'the server answered' });
                checks.push({ check: 'credentials accepted', ok: false, detail });
                return checks;
            }
            if (index === 0)
                checks.push(...accessChecks());
            checks.push({ check: lookup.check, ok: false, detail });
        }
    }
    return checks;
}
function accessChecks() {
    return [
        { check: 'server reachable', ok: true, detail: 'the server answered' },
        { check: 'credentials accepted', ok: true, detail: 'the credentials were accepted' }
    ];
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
// EXTERNAL MODULE: ./node_modules/zod/v4/core/core.js
var core = __webpack_require__(8532);
;// CONCATENATED MODULE: ./src/drivers/bmc-rpm/time.ts
// ISO 8601 with an explicit offset, as Rails renders datetimes (`2014-04-24T08:00:00-04:00`, REST deployment
// window events page); a space instead of `T` and `UTC` for `Z` are accepted too (Ruby's `Time#to_s`).
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})$/i;
/**
 * Reads a date and time with its offset. A time without one is refused: it would mean the RPM server's
 * own time zone, which the runner cannot know.
 */
function parseRpmTime(text) {
    const trimmed = text.trim();
    const match = ISO_WITH_OFFSET.exec(trimmed);
    if (!match)
        return undefined;
    const [, year, month, day, hour, minute, second = '0', fraction = '0', zone = 'Z'] = match;
    const fields = [year, month, day, hour, minute].map(Number);
    const [y, mo, d, h, mi] = fields;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || Number(second) > 59)
        return undefined;
    const local = Date.UTC(y, mo - 1, d, h, mi, Number(second), Math.round(Number(`0.${fraction}`) * 1000));
    const check = new Date(local);
    if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1)
        return undefined;
    return { text: trimmed, ms: local - offsetMinutes(zone) * 60_000 };
}
function offsetMinutes(zone) {
    if (/^(z|utc)$/i.test(zone))
        return 0;
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}
const TIME_FORMAT_HINT = 'use an ISO 8601 date and time with its offset, e.g. 2026-05-01T22:00:00+02:00';

;// CONCATENATED MODULE: ./src/drivers/bmc-rpm/xml.ts
/**
 * Rails' XML rendering, as the XML parser hands it over, turned into the shape of its JSON rendering:
 * `<start-at type="datetime">…</start-at>` → `start_at: "…"`, `<id type="integer">12</id>` → `id: 12`,
 * `<reason nil="true"/>` → `reason: null` (sample XML of the REST deployment window events page).
 */
function fromRailsXml(value) {
    if (Array.isArray(value))
        return value.map(fromRailsXml);
    if (!value || typeof value !== 'object')
        return value;
    const record = value;
    if (record.nil === 'true' && !('#text' in record))
        return null;
    if ('#text' in record)
        return typed(String(record['#text']), record.type);
    if (record.type === 'array' && Object.keys(record).length === 1)
        return [];
    const result = {};
    for (const [key, inner] of Object.entries(record)) {
        if (key === '?xml' || key === 'type')
            continue;
        result[key.replace(/-/g, '_')] = fromRailsXml(inner);
    }
    return result;
}
function typed(text, type) {
    if (type === 'integer')
        return Number(text);
    if (type === 'boolean')
        return text === 'true';
    return text;
}
/** The document's single root element (`<event>`), or the value itself when it is not XML-shaped. */
function unwrapRoot(value, roots) {
    if (!value || typeof value !== 'object' || Array.isArray(value))
        return value;
    const record = value;
    for (const root of roots) {
        if (root in record && Object.keys(record).every(key => key === root || key === '?xml')) {
            return fromRailsXml(record[root]);
        }
    }
    return value;
}

;// CONCATENATED MODULE: ./src/drivers/bmc-rpm/schemas.ts



/** Integers in RPM's JSON, kept as sent so the `details` output shows the event as RPM gave it. */
const id = schemas/* union */.KCZ([schemas/* number */.aig(), schemas/* string */.YjP()]);
const rpmTime = schemas/* string */.YjP().transform((text, ctx) => {
    const time = parseRpmTime(text);
    if (time)
        return time;
    ctx.addIssue({ code: 'custom', message: `'${text}' is not a date and time with an offset` });
    return core/* NEVER */.tm;
});
/** `allow`: deploy only inside; `prevent`: never inside (docs.bmc.com, Managing deployment windows). */
const BehaviorSchema = schemas/* enum */.k5n(['allow', 'prevent']);
const SeriesSchema = schemas/* object */.Ikc({ id: id.optional(), name: schemas/* string */.YjP().nullish(), behavior: BehaviorSchema })
    .loose();
const EnvironmentSchema = schemas/* object */.Ikc({ id: id.optional(), name: schemas/* string */.YjP().nullish() }).loose();
/**
 * `GET|PUT /v1/deployment_window/events/{id}` (REST deployment window events, RPM 5.0): the event with its
 * environment, occurrence and series — these three are left out with `filters[alone]=true` on 5.0.03.004
 * and later, and always present before. JSON or XML; a root wrapper is accepted too.
 */
const EventSchema = schemas/* preprocess */.vkY(value => unwrapRoot(value, ['event', 'deployment_window_event']), schemas/* object */.Ikc({
    id,
    state: schemas/* string */.YjP(),
    start_at: rpmTime,
    finish_at: rpmTime,
    reason: schemas/* string */.YjP().nullish(),
    environment: EnvironmentSchema.nullish(),
    occurrence: schemas/* object */.Ikc({ id: id.optional(), position: schemas/* number */.aig().nullish(), start_at: rpmTime, finish_at: rpmTime })
        .loose()
        .nullish(),
    series: SeriesSchema.nullish()
})
    .loose());
/**
 * One event as a series lists it: `events: {only: [:id, :start_at, :finish_at]}` (RPM source,
 * `V1::DeploymentWindow::SeriesItemPresenter`, bradybyrd/spider_monkey). Its environment and state are read
 * from the event itself.
 */
const SeriesEventSchema = schemas/* object */.Ikc({ id, start_at: rpmTime, finish_at: rpmTime }).loose();
/**
 * A series as `GET /v1/deployment_window/series[/{id}]` renders it (RPM source, `SeriesItemPresenter` and
 * `SeriesCollectionPresenter`: id, name, behavior, start_at, finish_at, archived_at, archive_number,
 * environment_ids, aasm_state…; the item adds `environments {id, name, deployment_policy}` and `events`).
 * The list may embed events and environments too (issue 13's evidence): both forms are read.
 */
const SeriesItemSchema = schemas/* object */.Ikc({
    id,
    name: schemas/* string */.YjP().nullish(),
    behavior: BehaviorSchema,
    archived_at: schemas/* string */.YjP().nullish(),
    archive_number: schemas/* string */.YjP().nullish(),
    aasm_state: schemas/* string */.YjP().nullish(),
    environment_ids: schemas/* array */.YOg(id).nullish(),
    environments: schemas/* array */.YOg(EnvironmentSchema).nullish(),
    events: schemas/* array */.YOg(SeriesEventSchema).nullish()
})
    .loose();
/** RPM renders lists as bare arrays (no root wrapper); XML as `<series-collection>` of `<series-item>`. */
const SeriesListSchema = schemas/* preprocess */.vkY(value => listOf(value, ['series_collection', 'deployment_window_series'], ['series_item', 'series']), schemas/* array */.YOg(SeriesItemSchema));
const SeriesShowSchema = schemas/* preprocess */.vkY(value => unwrapRoot(value, ['series_item', 'deployment_window_series']), SeriesItemSchema);
/** `GET /v1/environments?filters[name]=…` (tolomaus/brpm_module_brpm `get_environment_by_name`): an array. */
const EnvironmentListSchema = schemas/* preprocess */.vkY(value => listOf(value, ['environments'], ['environment']), schemas/* array */.YOg(EnvironmentSchema.extend({ id })));
function listOf(value, roots, children) {
    if (Array.isArray(value))
        return value;
    const unwrapped = unwrapRoot(value, roots);
    if (Array.isArray(unwrapped) || !unwrapped || typeof unwrapped !== 'object')
        return unwrapped;
    const record = unwrapped;
    for (const child of children) {
        if (child in record)
            return [record[child]].flat();
    }
    return unwrapped;
}
const timeParameter = schemas/* string */.YjP()
    .trim()
    .refine(text => parseRpmTime(text) !== undefined, TIME_FORMAT_HINT);
const BmcRpmParametersSchema = schemas/* strictObject */.rej({
    /** Why the state changes; RPM requires it for suspend, resume and move. */
    reason: schemas/* string */.YjP().trim().min(1, 'reason must not be empty').optional(),
    /** New start and finish, for move. */
    start_at: timeParameter.optional(),
    finish_at: timeParameter.optional(),
    /** The environment whose window is meant, instead of an event id in target. */
    environment: schemas/* string */.YjP().trim().min(1, 'environment must not be empty').optional(),
    /** With an environment in several series: the series (name or id) whose events count. */
    series: schemas/* union */.KCZ([schemas/* string */.YjP().trim().min(1, 'series must not be empty'), schemas/* number */.aig().int().positive()])
        .transform(value => String(value))
        .optional()
});

;// CONCATENATED MODULE: ./src/drivers/bmc-rpm/errors.ts


/**
 * Turns an RPM error answer into one clear error. Sources: REST deployment window events page (403 bad
 * token, 404 no such event, 422 validation errors "objects and errors are returned") and the RPM source
 * (`V1::DeploymentWindow::EventsController`: `head :not_found`, `render json: event.errors, status:
 * :unprocessable_entity`). RPM answers a bad token with XML even to JSON requests:
 * `<xml><error><response>Invalid API Key</response></error></xml>`.
 */
function rpmError(response, what, eventId) {
    const { status } = response;
    if (status === 403) {
        return new ActionError(`RPM refused the token for ${what}: HTTP 403: ${forbiddenText(response)}`, {
            httpStatus: 403,
            hint: 'Check the token input: the REST API token of an RPM user who may see this event’s environment (RPM: your profile, API key).'
        });
    }
    if (status === 404) {
        return new ActionError(`RPM has no deployment window event ${eventId} (${what} answered HTTP 404)`, {
            httpStatus: 404,
            hint: 'Check target: it is the id of one deployment window event (one environment, one occurrence), not of its series; check base-url too.'
        });
    }
    if (status === 422) {
        const errors = validationErrors(response.body);
        const listed = errors.length ? `:\n${errors.map(error => `  - ${error}`).join('\n')}` : '';
        return new ActionError(`RPM refused ${what}: HTTP 422, the event did not validate${listed}`, {
            httpStatus: 422,
            hint: 'Nothing was changed. Fix the parameters as listed and run the step again.'
        });
    }
    return new ActionError(`RPM answered ${what} with HTTP ${status}: ${errorMessageOf(response.body, 'no message')}`, {
        httpStatus: status,
        transient: status === 429 || status >= 500
    });
}
/** An error answer to a list or series read (environments, series): 403 as for events, anything else as it came. */
function rpmListError(response, what) {
    if (response.status === 403 || response.status === 422)
        return rpmError(response, what, '');
    return new ActionError(`RPM answered ${what} with HTTP ${response.status}: ${errorMessageOf(response.body, 'no message')}`, { httpStatus: response.status, transient: response.status === 429 || response.status >= 500 });
}
function forbiddenText(response) {
    const body = response.body;
    const fromXml = body?.xml?.error?.response;
    if (typeof fromXml === 'string' && fromXml.trim())
        return fromXml.trim();
    const fromText = /<response>([^<]*)<\/response>/.exec(response.text)?.[1];
    return fromText?.trim() || errorMessageOf(response.body, 'Forbidden');
}
/**
 * Every message of a Rails errors hash, `{"base": ["Can't move suspended event."], "reason": ["can't be
 * blank"]}` → `Can't move suspended event.`, `reason can't be blank`; also Rails' XML form
 * `<errors><error>Reason can't be blank</error></errors>`.
 */
function validationErrors(body) {
    if (!body || typeof body !== 'object')
        return typeof body === 'string' && body.trim() ? [body.trim()] : [];
    const record = body;
    const xml = record.errors?.error;
    if (xml !== undefined)
        return toList(xml);
    const hash = record.errors && typeof record.errors === 'object' ? record.errors : record;
    return Object.entries(hash).flatMap(([field, messages]) => toList(messages).map(message => (field === 'base' ? message : `${field.replace(/_/g, ' ')} ${message}`)));
}
function toList(value) {
    const items = Array.isArray(value) ? value : [value];
    return items
        .filter((item) => ['string', 'number'].includes(typeof item))
        .map(String);
}

;// CONCATENATED MODULE: ./src/drivers/bmc-rpm/window.ts


const SUSPENDED = 'suspended';
/**
 * The states RPM documents (REST deployment window events page, editable attribute `state`; RPM model
 * `DeploymentWindow::Event::STATES`). Any other state is not taken as open: an allow window in it does not
 * permit deployment, a prevent window in it still forbids.
 */
const KNOWN_STATES = ['created', 'suspended', 'resumed', 'moved'];
/**
 * An event that finishes before it starts is a malformed answer, never a window: an inverted freeze window
 * would otherwise let every deployment through. RPM itself refuses such an event on update ("Finish date is
 * before Start date", `DeploymentWindow::Event#check_finish_before_past`), so a server that sends one is
 * broken or customised.
 */
function assertWellFormed(id, start, finish, what = 'answer') {
    if (finish.ms >= start.ms)
        return;
    throw new ActionError(`RPM's ${what} for deployment window event ${id} is malformed: it finishes (finish_at ${finish.text}) before it starts (start_at ${start.text}); the window is not trusted either way`, {
        hint: 'Check the event in RPM (Environment > Deployment windows): RPM does not allow an event to finish before it starts.'
    });
}
/**
 * The rule of the gate. An `allow` event permits deployment only while now ∈ [start_at, finish_at) and the
 * event is not suspended. A `prevent` event forbids deployment only while now is inside it and it is not
 * suspended: outside it, or suspended, deployment is open (BMC, "Managing deployment windows": users cannot
 * access the environment during a prevent window; RPM model `DeploymentWindow::Event`, scope `active`
 * = not suspended).
 */
function decideWindow(window, now) {
    const { start, finish } = window;
    assertWellFormed(window.id, start, finish);
    const suspended = window.state === SUSPENDED;
    const known = KNOWN_STATES.includes(window.state);
    const name = `Deployment window event ${window.id}${window.about ? ` (${window.about})` : ''}`;
    const span = `from ${start.text} until ${finish.text}`;
    const why = window.reason ? ` (reason: ${window.reason})` : '';
    const before = now < start.ms;
    const inside = !before && now < finish.ms;
    const after = now >= finish.ms;
    if (window.behavior === 'allow') {
        if (after) {
            return {
                verdict: { open: false, passed: true },
                message: `${name} has passed: the allow window ran ${span} (ended ${ago(finish, now)}); it will not open again`
            };
        }
        if (!known) {
            return {
                verdict: { open: false, unknownState: window.state },
                message: `${name} is in state '${window.state}', which RPM does not document (${KNOWN_STATES.join(', ')}): not taken as open; the allow window runs ${span}`
            };
        }
        if (suspended) {
            return {
                verdict: { open: false, suspended: true },
                message: `${name} is suspended${why}: no deployment until it is resumed; the allow window runs ${span}`
            };
        }
        if (before) {
            return {
                verdict: { open: false, opensAt: start },
                message: `${name} is not open yet: the allow window opens at ${start.text} (${until(start, now)}) and closes at ${finish.text}`
            };
        }
        return {
            verdict: { open: true, closesAt: finish },
            message: `${name} is open: the allow window runs ${span} (closes ${until(finish, now)})`
        };
    }
    if (suspended) {
        return {
            verdict: { open: true },
            message: `${name} allows deployment: its prevent window ${span} is suspended${why}`
        };
    }
    if (inside) {
        const state = known ? '' : ` (state '${window.state}', which RPM does not document, is taken as in force)`;
        return {
            verdict: { open: false, opensAt: finish },
            message: `${name} forbids deployment now${state}: the prevent window runs ${span}; deployment is allowed again at ${finish.text} (${until(finish, now)})`
        };
    }
    if (before) {
        return {
            verdict: { open: true, closesAt: start },
            message: `${name} allows deployment: the prevent window starts at ${start.text} (${until(start, now)})`
        };
    }
    return {
        verdict: { open: true },
        message: `${name} allows deployment: the prevent window ran ${span} and has ended`
    };
}
function until(time, now) {
    return `in ${formatDuration(Math.max(0, time.ms - now))}`;
}
function ago(time, now) {
    return `${formatDuration(Math.max(0, now - time.ms))} ago`;
}
/** The longest the wait loop sleeps at once: a window moved earlier is noticed within this, and the log stays alive. */
const LONGEST_SLEEP_MS = 30 * 60_000;
/**
 * How long to wait before reading a closed window again. Toward a known opening: half the time left (at
 * least `minMs`, at most LONGEST_SLEEP_MS), then exactly the rest once it is shorter than `minMs` — a few
 * reads for a window hours away, and the opening noticed on time. A suspended event has no opening to
 * sleep toward: it is read every `maxMs`.
 */
function nextReadDelay(verdict, now, minMs, maxMs) {
    if (verdict.open || 'passed' in verdict || !verdict.opensAt)
        return maxMs;
    const remaining = verdict.opensAt.ms - now;
    if (remaining <= minMs)
        return Math.max(0, remaining);
    return Math.min(LONGEST_SLEEP_MS, Math.max(minMs, Math.round(remaining / 2)));
}

;// CONCATENATED MODULE: ./src/drivers/bmc-rpm/environment.ts





const ENVIRONMENTS = '/v1/environments';
const SERIES = '/v1/deployment_window/series';
/** Events read one by one while looking for the environment's own: a series lists every environment's events. */
const MOST_EVENT_READS = 40;
/**
 * The deployment window event of an environment that is open now or opens next. Event ids belong to one
 * occurrence of a series, so a workflow names the environment and this finds this week's event:
 * 1. the environment by name, `GET /v1/environments?filters[name]=…` (tolomaus/brpm_module_brpm
 *    `BrpmRestClient#get_environment_by_name`; 404 when none);
 * 2. its series, `GET /v1/deployment_window/series?filters[environment]={id}` (RPM source
 *    `DeploymentWindow::Series` filter `environment`; the same call in DwaineGarden/brpm_auto
 *    `f2_launchPromotionRequest.rb`, which also skips archived series), draft series left out as RPM's own
 *    `series_visible` scope does;
 * 3. the series' events, embedded in the list or read with `GET /v1/deployment_window/series/{id}` (RPM source
 *    `SeriesItemPresenter`: `events {id, start_at, finish_at}`, `environments {id, name}`);
 * 4. those not finished, by start, each read with `GET /v1/deployment_window/events/{id}` until one belongs to
 *    the environment and is not suspended (a series lists the events of all its environments).
 */
async function findEnvironmentWindow(query, deps) {
    const environment = await findEnvironment(query.environment, deps.http);
    const series = await pickSeries(await seriesOf(environment, deps.http), environment, query.series);
    const events = await eventsOf(series, deps.http);
    const now = deps.now();
    const ahead = events
        .filter(event => {
        assertWellFormed(String(event.id), event.start_at, event.finish_at, `series ${label(series)} listing`);
        return event.finish_at.ms > now;
    })
        .sort((a, b) => a.start_at.ms - b.start_at.ms);
    let fallback;
    let reads = 0;
    for (const candidate of ahead) {
        if (reads++ >= MOST_EVENT_READS)
            break;
        const event = await deps.readEvent(String(candidate.id));
        if (!belongsTo(event, environment))
            continue;
        if (event.finish_at.ms <= now)
            continue;
        if (event.state === 'suspended' || !KNOWN_STATES.includes(event.state)) {
            fallback ??= event;
            continue;
        }
        return { kind: 'event', event, series, environment };
    }
    if (fallback)
        return { kind: 'event', event: fallback, series, environment };
    if (series.behavior === 'prevent')
        return { kind: 'none-ahead', series, environment };
    throw new ActionError(`Environment '${environment.name ?? query.environment}' has no deployment window event open now or ahead in series ${label(series)} (allow): there is no window to deploy in`, {
        hint: 'Add an occurrence to the series in RPM (Environment > Deployment windows), or name another series with parameters.series.'
    });
}
async function findEnvironment(name, http) {
    const request = { method: 'GET', path: ENVIRONMENTS, query: { 'filters[name]': name } };
    const describe = http.describe(request);
    const response = await http.send(request);
    if (response.status === 404) {
        throw new ActionError(`RPM has no environment named '${name}' (${describe} answered HTTP 404)`, {
            httpStatus: 404,
            hint: 'Check target (or parameters.environment): the environment name as RPM shows it, or a deployment window event id (digits).'
        });
    }
    if (response.status < 200 || response.status >= 300)
        throw rpmListError(response, describe);
    const found = decode(EnvironmentListSchema, response.body, `RPM ${describe}`);
    // RPM's name filter may match loosely: the exact name wins, then the only one that matches ignoring case.
    const exact = found.filter(environment => environment.name === name);
    const loose = found.filter(environment => environment.name?.toLowerCase() === name.toLowerCase());
    const match = exact.length === 1 ? exact[0] : loose.length === 1 ? loose[0] : undefined;
    if (match)
        return match;
    const names = found.map(environment => `'${environment.name ?? '?'}' (id ${environment.id})`).join(', ');
    throw new ActionError(exact.length + loose.length > 1
        ? `RPM has several environments named '${name}': ${names}`
        : `RPM has no environment named exactly '${name}'; it found ${names || 'none'}`, { hint: 'Name the environment exactly as RPM shows it.' });
}
async function seriesOf(environment, http) {
    const request = {
        method: 'GET',
        path: SERIES,
        query: { 'filters[environment]': String(environment.id) }
    };
    const describe = http.describe(request);
    const response = await http.send(request);
    // RPM answers an empty list with 404 and no body (SeriesController#index: `head :not_found`).
    if (response.status === 404)
        return [];
    if (response.status < 200 || response.status >= 300)
        throw rpmListError(response, describe);
    return decode(SeriesListSchema, response.body, `RPM ${describe}`).filter(series => !series.archived_at &&
        !series.archive_number &&
        series.aasm_state !== 'draft' &&
        listsEnvironment(series, environment));
}
/** A series that says which environments it covers must cover this one; one that does not say is trusted to the filter. */
function listsEnvironment(series, environment) {
    const ids = [
        ...(series.environment_ids ?? []),
        ...(series.environments ?? []).map(item => item.id).filter(item => item !== undefined)
    ].map(String);
    return ids.length === 0 || ids.includes(String(environment.id));
}
async function pickSeries(candidates, environment, wanted) {
    const name = environment.name ?? String(environment.id);
    const listed = candidates.map(series => `${label(series)} (id ${series.id}, ${series.behavior})`).join(', ');
    if (candidates.length === 0) {
        throw new ActionError(`Environment '${name}' has no deployment window series in RPM (archived and draft series do not count)`, {
            hint: 'Create a deployment window series for the environment in RPM, or give a deployment window event id as target.'
        });
    }
    if (wanted !== undefined) {
        const chosen = candidates.filter(series => String(series.id) === wanted || series.name === wanted);
        if (chosen.length === 1 && chosen[0])
            return chosen[0];
        throw new ActionError(`Environment '${name}' has no deployment window series '${wanted}'${chosen.length > 1 ? ' that is unique' : ''}; its series: ${listed}`, { hint: 'Set parameters.series to one of the names or ids listed.' });
    }
    if (candidates.length === 1 && candidates[0])
        return candidates[0];
    throw new ActionError(`Environment '${name}' is in ${candidates.length} deployment window series, so which window counts is ambiguous: ${listed}`, { hint: 'Set parameters.series to the name or id of the one to gate on.' });
}
async function eventsOf(series, http) {
    if (series.events)
        return series.events;
    const request = { method: 'GET', path: `${SERIES}/${encodeURIComponent(String(series.id))}` };
    const describe = http.describe(request);
    const response = await http.send(request);
    if (response.status < 200 || response.status >= 300)
        throw rpmListError(response, describe);
    return decode(SeriesShowSchema, response.body, `RPM ${describe}`).events ?? [];
}
function belongsTo(event, environment) {
    if (!event.environment)
        return true;
    if (event.environment.id !== undefined)
        return String(event.environment.id) === String(environment.id);
    return event.environment.name === environment.name;
}
function label(series) {
    return series.name ? `'${series.name}'` : `${series.id}`;
}

;// CONCATENATED MODULE: ./src/drivers/bmc-rpm/driver.ts









const EVENTS = '/v1/deployment_window/events';
const EVENT_ID = /^\d+$/;
const CHANGES_STATE = new Set(['suspend', 'resume', 'move']);
/** The state each managing operation sets (REST deployment window events page, editable attribute `state`). */
const TARGET_STATE = { suspend: 'suspended', resume: 'resumed', move: 'moved' };
class BmcRpmDriver {
    context;
    /** The event's series and environment from the first full read: later reads ask for the event alone. */
    series;
    environment;
    /** When the engine stops waiting: a window that opens later is reported at once, not waited out. */
    deadline;
    constructor(context) {
        this.context = context;
        this.deadline = context.deadline ?? context.clock.now() + context.deployment.timeoutMs;
    }
    get deployment() {
        return this.context.deployment;
    }
    async start() {
        const { operation } = this.deployment;
        const found = await this.resolve();
        if (found.kind === 'none-ahead') {
            if (CHANGES_STATE.has(operation)) {
                throw new ActionError(`${found.about} has no deployment window event ahead to ${operation}: nothing was changed`);
            }
            return { kind: 'final', status: this.noneAheadStatus(found.about) };
        }
        const { event } = found;
        const id = String(event.id);
        const task = { id };
        if (operation === 'check-window' || operation === 'wait-for-window') {
            const status = this.windowStatus(event);
            if (status.state === 'running' && operation === 'check-window') {
                return { kind: 'final', status: { ...status, state: 'failed', nextReadInMs: undefined }, task };
            }
            if (status.state !== 'running')
                return { kind: 'final', status, task };
            return { kind: 'task', task, message: `Waiting for the window: ${status.message}` };
        }
        return { kind: 'final', status: await this.changeState(id, operation), task };
    }
    /**
     * The event the step is about, read once: the event id given (digits), or the event of the environment
     * that is open now or opens next (`target` as an environment name, or `parameters.environment`).
     */
    async resolve() {
        const parameters = BmcRpmParametersSchema.parse(this.deployment.parameters);
        const given = this.deployment.operation === 'await' ? this.deployment.taskId : this.deployment.target;
        const environment = parameters.environment ?? (given && !EVENT_ID.test(given) ? given : undefined);
        if (environment === undefined)
            return { kind: 'event', event: await this.readEvent(given ?? '') };
        const found = await findEnvironmentWindow({ environment, series: parameters.series }, {
            http: this.context.http,
            now: () => this.context.clock.now(),
            readEvent: id => this.fetchEvent(id, false)
        });
        const about = `environment '${found.environment.name ?? environment}', series '${found.series.name ?? found.series.id}'`;
        if (found.kind === 'none-ahead')
            return { kind: 'none-ahead', about };
        this.context.log.info(`Deployment window event ${found.event.id} is the one of ${about} open now or next`);
        this.remember(found.event);
        return { kind: 'event', event: found.event };
    }
    noneAheadStatus(about) {
        return {
            state: 'succeeded',
            code: 'none',
            label: 'open for deployment',
            message: `No prevent window of ${about} is in force now or ahead: deployment is allowed`
        };
    }
    /** Reads the event (the one to change, or the window to check) and says what the window is now; changes nothing. */
    dryRun() {
        return runDryRunLookups([
            {
                check: 'event found',
                run: async () => {
                    const found = await this.resolve();
                    if (found.kind === 'none-ahead')
                        return this.noneAheadStatus(found.about).message ?? '';
                    return `deployment window event ${found.event.id}: ${this.windowStatus(found.event).message}`;
                }
            }
        ]);
    }
    /** `operation: await` watches the window again, as wait-for-window does. */
    resume(taskId) {
        return { id: taskId };
    }
    async status(task) {
        return this.windowStatus(await this.readEvent(task.id));
    }
    /**
     * Reads the event. Once its series is known, only the event itself is asked for (`filters[alone]=true`,
     * RPM 5.0.03.004 and later): the series and environment do not change while we wait. Older versions
     * ignore the filter and send everything, which reads the same.
     */
    async readEvent(id) {
        const event = await this.fetchEvent(id, this.series !== undefined);
        this.remember(event);
        return event;
    }
    remember(event) {
        if (event.series)
            this.series = event.series;
        if (event.environment !== undefined)
            this.environment = event.environment;
    }
    fetchEvent(id, alone) {
        const request = {
            method: 'GET',
            path: `${EVENTS}/${encodeURIComponent(id)}`,
            query: alone ? { 'filters[alone]': 'true' } : undefined
        };
        return this.sendForEvent(request, id);
    }
    /** GET or PUT of one event. Any 2xx is an answer: RPM's source renders updates 200, BMC's notes say 202. */
    async sendForEvent(request, id) {
        const { http } = this.context;
        const describe = http.describe(request);
        const response = await http.send(request);
        if (response.status < 200 || response.status >= 300)
            throw rpmError(response, describe, id);
        const event = decode(EventSchema, response.body, `RPM ${describe}`);
        assertWellFormed(String(event.id), event.start_at, event.finish_at);
        return event;
    }
    windowStatus(event) {
        const series = event.series ?? this.series;
        if (!series) {
            throw new ActionError(`RPM's answer for deployment window event ${event.id} has no series, so whether it allows or prevents deployment is unknown`, {
                hint: 'A proxy or an RPM customization may strip associations; the event must come with its series.'
            });
        }
        const now = this.context.clock.now();
        const decision = decideWindow({
            id: String(event.id),
            state: event.state,
            reason: event.reason,
            start: event.start_at,
            finish: event.finish_at,
            behavior: series.behavior,
            about: this.about(series)
        }, now);
        const details = { ...event, series, environment: event.environment ?? this.environment };
        const { verdict } = decision;
        const waits = ['wait-for-window', 'await'].includes(this.deployment.operation);
        if (waits &&
            !verdict.open &&
            !('passed' in verdict) &&
            verdict.opensAt &&
            verdict.opensAt.ms >= this.deadline) {
            return {
                state: 'timed-out',
                code: event.state,
                label: labelOf(decision),
                message: `${decision.message}. That is after this step's deadline (${new Date(this.deadline).toISOString()}, timeout ${formatDuration(this.deployment.timeoutMs)}): not waiting for it`,
                details: plainDetails(details)
            };
        }
        return {
            state: verdict.open ? 'succeeded' : 'passed' in verdict ? 'failed' : 'running',
            code: event.state,
            label: labelOf(decision),
            message: decision.message,
            details: plainDetails(details),
            nextReadInMs: verdict.open
                ? undefined
                : nextReadDelay(verdict, now, this.deployment.pollIntervalMs, this.deployment.maxPollIntervalMs)
        };
    }
    about(series) {
        const environment = this.environment?.name;
        const seriesName = series.name ? `series '${series.name}'` : 'series';
        return `${seriesName}, ${series.behavior}${environment ? `, environment '${environment}'` : ''}`;
    }
    /** suspend, resume, move: one PUT that sets the new state, with the reason RPM requires. */
    async changeState(id, operation) {
        const state = TARGET_STATE[operation];
        if (!state)
            throw new ActionError(`bmc-rpm has no operation ${operation}`);
        const parameters = BmcRpmParametersSchema.parse(this.deployment.parameters);
        if (operation === 'move')
            await this.checkMove(id, parameters);
        const request = {
            method: 'PUT',
            path: `${EVENTS}/${encodeURIComponent(id)}`,
            json: {
                deployment_window_event: {
                    state,
                    reason: parameters.reason,
                    ...(operation === 'move' ? { start_at: parameters.start_at, finish_at: parameters.finish_at } : {})
                }
            },
            // The PUT sets an absolute state, not a change: sent twice it leaves the event as sent once. The
            // only trace of a repeat is RPM notifying the requests of a suspended event again.
            idempotent: true
        };
        const event = await this.sendForEvent(request, id);
        const changed = event.state === state;
        const times = operation === 'move' ? ` to ${event.start_at.text} until ${event.finish_at.text}` : '';
        const reason = event.reason ?? parameters.reason;
        const status = {
            state: 'succeeded',
            code: event.state,
            label: state,
            message: `Deployment window event ${event.id} ${state}${times}${reason ? ` (reason: ${reason})` : ''}`,
            details: plainDetails(event)
        };
        if (!changed) {
            status.warning = `RPM accepted the update of deployment window event ${event.id} but reports state '${event.state}', not '${state}'`;
        }
        return status;
    }
    /**
     * The move rules that depend on the event and on the time, checked before anything is sent (REST
     * deployment window events page, "To move the deployment window event"; RPM model
     * `DeploymentWindow::Event`: check_suspend, check_start_in_past, check_finish_in_past,
     * not_change_start_if_in_progress). Occurrence and series bounds are left to RPM's own 422.
     */
    async checkMove(id, parameters) {
        const start = parseRpmTime(parameters.start_at ?? '');
        const finish = parseRpmTime(parameters.finish_at ?? '');
        const event = await this.readEvent(id);
        const now = this.context.clock.now();
        const problems = [];
        if (event.state === 'suspended') {
            problems.push('it is suspended, and RPM does not move a suspended event: resume it first (operation: resume)');
        }
        const startChanges = start.ms !== event.start_at.ms;
        if (startChanges && event.start_at.ms <= now && now < event.finish_at.ms) {
            problems.push(`its window is in progress (since ${event.start_at.text}), so its start cannot change; keep start_at: ${event.start_at.text}`);
        }
        else if (startChanges && start.ms <= now) {
            problems.push(`start_at ${start.text} is not after the current time`);
        }
        if (finish.ms !== event.finish_at.ms && finish.ms <= now) {
            problems.push(`finish_at ${finish.text} is not after the current time`);
        }
        if (problems.length === 0)
            return;
        throw new ActionError(`Deployment window event ${id} cannot be moved: ${problems.join('; ')}. Nothing was changed.`, {
            hint: 'RPM moves an event only to a time after now, inside its occurrence, with start before finish.'
        });
    }
}
function labelOf(decision) {
    const { verdict } = decision;
    if (verdict.open)
        return 'open for deployment';
    if ('passed' in verdict)
        return 'passed';
    if (verdict.suspended)
        return 'suspended';
    if (verdict.unknownState)
        return `unknown state '${verdict.unknownState}'`;
    return 'closed for deployment';
}
/** The event as JSON would carry it: times back to RPM's text. */
function plainDetails(value) {
    return JSON.parse(JSON.stringify(value, (_key, inner) => inner && typeof inner === 'object' && 'text' in inner && 'ms' in inner ? inner.text : inner));
}

;// CONCATENATED MODULE: ./src/drivers/bmc-rpm/index.ts



const bmc_rpm_CHANGES_STATE = ['suspend', 'resume', 'move'];
const bmc_rpm_EVENT_ID = /^\d+$/;
const bmcRpm = {
    platform: 'bmc-rpm',
    title: 'BMC Release Process Management',
    operations: ['check-window', 'wait-for-window', 'suspend', 'resume', 'move'],
    defaultOperation: 'check-window',
    readOnlyOperations: ['check-window', 'wait-for-window'],
    credentials: 'token',
    // REST API pages: "token — Your API Token for authentication", sent as ?token=; RPM reads no header.
    tokenPlacement: 'query',
    parameters: BmcRpmParametersSchema,
    noCancelReason: 'a deployment window is not a job: nothing runs on RPM while the action waits for it',
    nothingRunsRemotely: true,
    validate: deployment => [...targetProblems(deployment), ...parameterProblems(deployment)],
    create: context => new BmcRpmDriver(context)
};
function targetProblems(deployment) {
    const parameters = deployment.parameters;
    const environment = parameters.environment;
    const series = parameters.series;
    if (deployment.operation === 'await') {
        const problems = [];
        if (deployment.taskId && !bmc_rpm_EVENT_ID.test(deployment.taskId)) {
            problems.push({
                input: 'task-id',
                value: deployment.taskId,
                problem: 'must be a deployment window event id, e.g. 12'
            });
        }
        for (const key of ['environment', 'series']) {
            if (parameters[key] !== undefined) {
                problems.push({
                    input: 'parameters',
                    value: `${key}: ${String(parameters[key])}`,
                    problem: `${key} does not apply to operation: await, which watches the event in task-id`
                });
            }
        }
        return problems;
    }
    if (deployment.target && environment !== undefined) {
        return [
            {
                input: 'target',
                value: deployment.target,
                problem: `give either target or parameters.environment (${String(environment)}), not both`
            }
        ];
    }
    if (!deployment.target && environment === undefined) {
        return [
            {
                input: 'target',
                problem: 'is required for bmc-rpm: a deployment window event id (e.g. 12) or an environment name (e.g. production); or set parameters.environment'
            }
        ];
    }
    if (series !== undefined && environment === undefined && bmc_rpm_EVENT_ID.test(deployment.target ?? '')) {
        return [
            {
                input: 'parameters',
                value: `series: ${String(series)}`,
                problem: 'series applies only with an environment (target as an environment name, or parameters.environment), not with an event id'
            }
        ];
    }
    return [];
}
/** The rules of the REST deployment window events page that need no server: checked before anything is sent. */
function parameterProblems(deployment) {
    const { operation } = deployment;
    const parameters = deployment.parameters;
    const problems = [];
    const has = (key) => parameters[key] !== undefined;
    const shown = (key) => `${key}: ${String(parameters[key])}`;
    if (bmc_rpm_CHANGES_STATE.includes(operation) && !has('reason')) {
        problems.push({
            input: 'parameters',
            problem: `reason is required with operation: ${operation}: RPM requires a reason whenever an event's state changes`
        });
    }
    if (!bmc_rpm_CHANGES_STATE.includes(operation) && operation !== 'await' && has('reason')) {
        problems.push({
            input: 'parameters',
            value: shown('reason'),
            problem: 'reason applies only to suspend, resume and move'
        });
    }
    for (const key of ['start_at', 'finish_at']) {
        if (operation === 'move' && !has(key)) {
            problems.push({
                input: 'parameters',
                problem: `${key} is required with operation: move (both start_at and finish_at, e.g. 2026-05-01T22:00:00+02:00)`
            });
        }
        if (operation !== 'move' && has(key)) {
            problems.push({
                input: 'parameters',
                value: shown(key),
                problem: `${key} applies only to operation: move`
            });
        }
    }
    const start = typeof parameters.start_at === 'string' ? parseRpmTime(parameters.start_at) : undefined;
    const finish = typeof parameters.finish_at === 'string' ? parseRpmTime(parameters.finish_at) : undefined;
    if (operation === 'move' && start && finish && start.ms >= finish.ms) {
        problems.push({
            input: 'parameters',
            value: `start_at: ${start.text}, finish_at: ${finish.text}`,
            problem: 'start_at must be before finish_at'
        });
    }
    return problems;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/drivers/upload/glob.ts
/**
 * A small glob matcher (Node 20 has no fs.glob): `*` and `?` within one path segment, `**` as a whole
 * segment for any number of directories. Like a shell, wildcards do not match names that start with a dot.
 */
const MAGIC = /[*?]/;
function hasMagic(pattern) {
    return MAGIC.test(pattern);
}
function escapeRegExp(text) {
    return text.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
}
function segmentSource(segment) {
    let source = '';
    for (const char of segment) {
        if (char === '*')
            source += '[^/]*';
        else if (char === '?')
            source += '[^/]';
        else
            source += escapeRegExp(char);
    }
    // A wildcard at the start of a segment never matches a dot file or dot directory.
    return /^[*?]/.test(segment) ? `(?!\\.)${source}` : source;
}
/** The pattern (`/`-separated, relative) as a regular expression over `/`-separated relative paths. */
function globToRegExp(pattern) {
    const segments = pattern.split('/').filter(segment => segment !== '' && segment !== '.');
    let source = '';
    segments.forEach((segment, index) => {
        const last = index === segments.length - 1;
        if (segment === '**') {
            // Zero or more directories (none of them dot directories); a trailing `**` matches every file below.
            source += last ? '(?:(?!\\.)[^/]+/)*(?!\\.)[^/]+' : '(?:(?!\\.)[^/]+/)*';
            return;
        }
        source += segmentSource(segment) + (last ? '' : '/');
    });
    return new RegExp(`^${source}$`);
}
/** The leading segments without wildcards: where a walk for the pattern starts. */
function literalBase(pattern) {
    const base = [];
    for (const segment of pattern.split('/')) {
        if (hasMagic(segment))
            break;
        base.push(segment);
    }
    return base.join('/');
}
/** How many directory levels below the base a match can lie; Infinity with `**`. */
function depthBelowBase(pattern) {
    const segments = pattern.split('/').filter(segment => segment !== '');
    const rest = segments.slice(literalBase(pattern).split('/').filter(Boolean).length);
    return rest.includes('**') ? Number.POSITIVE_INFINITY : rest.length;
}

;// CONCATENATED MODULE: ./src/drivers/upload/artifacts.ts



/** Where `artifacts` are resolved: the runner's workspace, as the plan reads it. */
function workspaceDirectory() {
    return process.env.GITHUB_WORKSPACE || process.cwd();
}
function toPosix(text) {
    return text.split((external_node_path_default()).sep).join('/');
}
function isInside(root, candidate) {
    const relative = external_node_path_default().relative(root, candidate);
    return relative === '' || (!relative.startsWith('..') && !external_node_path_default().isAbsolute(relative));
}
function realOrUndefined(file) {
    try {
        return (0,external_node_fs_.realpathSync)(file);
    }
    catch {
        return undefined;
    }
}
/** Files below `directory`, at most `depth` levels down; symbolic links to directories are not followed. */
function walk(workspace, directory, depth, found) {
    let entries;
    try {
        entries = (0,external_node_fs_.readdirSync)(directory, { withFileTypes: true });
    }
    catch {
        return;
    }
    for (const entry of entries) {
        const full = external_node_path_default().join(directory, entry.name);
        if (entry.isDirectory()) {
            if (depth > 1 && !entry.name.startsWith('.'))
                walk(workspace, full, depth - 1, found);
        }
        else if (entry.isFile() || (entry.isSymbolicLink() && isFile(full))) {
            found.push(toPosix(external_node_path_default().relative(workspace, full)));
        }
    }
}
function isFile(file) {
    try {
        return (0,external_node_fs_.statSync)(file).isFile();
    }
    catch {
        return false;
    }
}
/**
 * Resolves `artifacts` (paths and globs relative to the workspace) to files. Every problem is reported at
 * once: a pattern that matches nothing, a directory, anything that resolves outside the workspace.
 */
function resolveArtifacts(workspace, patterns) {
    const problems = [];
    const files = new Map();
    const realWorkspace = realOrUndefined(workspace) ?? external_node_path_default().resolve(workspace);
    const problem = (value, text) => problems.push({ input: 'artifacts', value, problem: text });
    for (const raw of patterns) {
        const pattern = process.platform === 'win32' ? raw.replace(/\\/g, '/') : raw;
        const absolute = external_node_path_default().resolve(workspace, pattern);
        if (!isInside(external_node_path_default().resolve(workspace), absolute)) {
            problem(raw, `is outside the workspace (${workspace}); artifacts must lie inside it`);
            continue;
        }
        const relative = toPosix(external_node_path_default().relative(external_node_path_default().resolve(workspace), absolute));
        let candidates;
        if (!hasMagic(relative)) {
            if (!(0,external_node_fs_.statSync)(absolute, { throwIfNoEntry: false })) {
                problem(raw, `matches no file in the workspace (${workspace})`);
                continue;
            }
            if ((0,external_node_fs_.statSync)(absolute).isDirectory()) {
                problem(raw, `is a directory; name its files or use a glob such as ${relative}/*.adapter`);
                continue;
            }
            candidates = [relative];
        }
        else {
            const base = literalBase(relative);
            const found = [];
            walk(external_node_path_default().resolve(workspace), external_node_path_default().resolve(workspace, base), depthBelowBase(relative), found);
            const matcher = globToRegExp(relative);
            candidates = found.filter(file => matcher.test(file)).sort();
            if (candidates.length === 0) {
                problem(raw, `matches no file in the workspace (${workspace})`);
                continue;
            }
        }
        for (const candidate of candidates) {
            const full = external_node_path_default().resolve(workspace, candidate);
            const real = realOrUndefined(full);
            if (!real || !isInside(realWorkspace, real)) {
                problem(raw, `${candidate} is a symbolic link that resolves outside the workspace; it is not uploaded`);
                continue;
            }
            if (files.has(real))
                continue;
            files.set(real, {
                path: full,
                relative: candidate,
                name: external_node_path_default().basename(full),
                size: (0,external_node_fs_.statSync)(real).size
            });
        }
    }
    return { files: [...files.values()], problems };
}

;// CONCATENATED MODULE: ./src/drivers/mobilefirst/artifacts.ts
// Moved to src/drivers/upload/ (shared with Mule MMC's application upload).


// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./node_modules/fast-xml-parser/src/xmlparser/XMLParser.js + 26 modules
var XMLParser = __webpack_require__(9658);
// EXTERNAL MODULE: ./node_modules/fast-xml-parser/src/fxp.js
var fxp = __webpack_require__(5824);
;// CONCATENATED MODULE: ./src/http/body.ts


const SHOWN_BYTES = 200;
/**
 * A success status whose body is not what was asked for. `garbled` when it claimed to be the right kind but
 * did not parse (a cut or corrupted answer: worth another read); not for an HTML page or refused XML.
 */
class UnreadableBodyError extends ActionError {
    garbled = false;
}
/** The first bytes of a body, on one line, for error messages. */
function preview(text) {
    const oneLine = text.replace(/\s+/g, ' ').trim();
    return oneLine.length > SHOWN_BYTES ? `${oneLine.slice(0, SHOWN_BYTES)}…` : oneLine;
}
function mediaKind(contentType) {
    const type = contentType.toLowerCase();
    if (type.includes('json'))
        return 'json';
    if (type.includes('html'))
        return 'html';
    if (type.includes('xml'))
        return 'xml';
    if (type.startsWith('text/'))
        return 'text';
    return undefined;
}
// No DOCTYPE processing at all: entity declarations, internal or external, are refused before parsing.
const xmlParser = new XMLParser/* default */.A({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    processEntities: false,
    htmlEntities: false
});
function parseXml(text) {
    if (/<!DOCTYPE|<!ENTITY/i.test(text))
        throw new Error('XML with a DOCTYPE or entity declarations is refused');
    const valid = fxp/* XMLValidator */.iI.validate(text);
    if (valid !== true)
        throw new Error(`invalid XML at line ${valid.err.line}: ${valid.err.msg}`);
    return decodeDeep(xmlParser.parse(text));
}
const PREDEFINED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/**
 * The parser processes no entities (to keep DTD tricks out), so `details="a &amp; b"` would arrive as
 * `a &amp; b`. With DOCTYPE refused only the five predefined entities and character references can occur:
 * decode those, in one pass so `&amp;lt;` stays `&lt;`.
 */
function decodeXmlEntities(text) {
    return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
        if (name[0] === '#') {
            const code = name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
            return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
        }
        return PREDEFINED[name] ?? whole;
    });
}
function decodeDeep(value) {
    if (typeof value === 'string')
        return decodeXmlEntities(value);
    if (Array.isArray(value))
        return value.map(decodeDeep);
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, decodeDeep(inner)]));
    }
    return value;
}
/**
 * Reads a body as what the caller expects. JSON where JSON was expected; XML when the server answered XML
 * (some vendors do, whatever was asked); text as it came. Anything else is an error that says what came
 * back — status, content type, first bytes — never a parser's stack trace.
 */
function parseBody(text, contentType, expected, describe, status) {
    if (expected === 'text')
        return text;
    if (text.trim() === '')
        return undefined;
    const kind = mediaKind(contentType);
    const looksXml = text.trimStart().startsWith('<') && kind !== 'html' && !/^\s*<(!doctype\s+html|html)/i.test(text);
    try {
        if (kind === 'xml' ||
            (expected === 'xml' && kind !== 'json' && looksXml) ||
            (kind === undefined && looksXml)) {
            return parseXml(text);
        }
        if (kind === 'html' || /^\s*<(!doctype\s+html|html)/i.test(text))
            throw new Error('an HTML page');
        return JSON.parse(text);
    }
    catch (error) {
        const what = errorFields(error).message;
        const unreadable = new UnreadableBodyError(`${describe} answered HTTP ${status} with ${contentType || 'no content type'} where ${expected.toUpperCase()} was expected (${what}): ${preview(text)}`, {
            httpStatus: status,
            transient: status >= 500,
            hint: 'A proxy, load balancer or login page may be answering instead of the API; check base-url.'
        });
        unreadable.garbled = kind !== 'html' && !/DOCTYPE|entity|HTML page/.test(what);
        throw unreadable;
    }
}
/** Parses an error response leniently: JSON or XML when it is, text otherwise. Never throws. */
function parseErrorBody(text, contentType) {
    if (text.trim() === '')
        return undefined;
    try {
        return parseBody(text, contentType, 'json', '', 0);
    }
    catch {
        return text;
    }
}

;// CONCATENATED MODULE: ./src/drivers/epmware/refusal.ts


/** Hints for the refusals the vendor documents, by HTTP status (REST API Guide v1.3; docs repo, first revision). */
function style(subject) {
    const service = subject.noun === 'ERP import' ? 'ERP Import' : subject.noun === 'deployment' ? 'Deployment' : 'Export';
    return {
        vendor: 'EPMware',
        hints: {
            400: `Check the parameters of the ${subject.noun}; EPMware said which one it refused.`,
            401: 'The token was refused. Check the token input; generating a new token in EPMware revokes the old one.',
            403: `The token’s user may not run ${subject.noun} ${subject.name}; check its security groups in EPMware.`,
            404: notFoundHint(subject),
            409: `This ${subject.noun} is already running. Wait for it, or set if-busy: await to follow the running task.`,
            410: 'The export file is no longer on the server (expired or deleted); run the export again.',
            413: 'The file is larger than EPMware accepts (global setting "Maximum file size in MB for ERP Import").',
            503: `The EPMware ${service} Service is not running; start it (Administrator → Services) and run the step again.`,
            500: `EPMware failed while running the ${subject.noun}; the target application may be unreachable. See the EPMware logs.`
        }
    };
}
function notFoundHint(subject) {
    const schedule = subject.noun === 'deployment' || subject.noun === 'ERP import';
    return `Check target: it must name ${subject.noun === 'ERP import' ? 'an' : 'a'} ${subject.noun} configured in EPMware${schedule ? ' with the "One Time Schedule" type' : ''} (names are case-sensitive).`;
}
/**
 * A refusal in the body of an HTTP 200: `{"status":"E","taskId":"0","message":"Error: Invalid Export
 * Profile Name : [X]. "}` (docs/getting-started/response-formats.md; modules/erp/upload-file.md). Its
 * message, or undefined when the body is not one.
 */
function refusalInBody(body) {
    if (!body || typeof body !== 'object' || Array.isArray(body))
        return undefined;
    const record = body;
    if (typeof record.status !== 'string' || record.status.trim().toUpperCase() !== 'E')
        return undefined;
    const taskId = record.taskId ?? record.task_id;
    if (taskId !== undefined && String(taskId) !== '0')
        return undefined;
    return errorMessageOf(body, 'EPMware answered status E without a message');
}
/**
 * "Already running": HTTP 409 `Deployment 'ASOALL' is already in progress` (docs repo first revision,
 * run-deployment.md and run-import.md), or the same words in an HTTP 200 refusal (ASSUMED: the current
 * pages answer every error as HTTP 200 status E).
 */
function isBusy(httpStatus, message) {
    return httpStatus === 409 || /already (running|in progress)/i.test(message);
}
/** The HTTP status a refusal's words correspond to, so an HTTP 200 refusal gets the same hint. */
function statusOfWords(message) {
    if (/already (running|in progress)/i.test(message))
        return 409;
    if (/service is not running/i.test(message))
        return 503;
    if (/invalid .*name|not found|does not exist/i.test(message))
        return 404;
    return undefined;
}
/** `EPMware refused <request>: <message>` for an HTTP 200 refusal, hinted like its HTTP counterpart. */
function bodyRefusalError(describe, message, subject) {
    const like = statusOfWords(message);
    return new ActionError(`EPMware refused ${describe}: ${message.slice(0, 500)}`, {
        hint: like === undefined ? undefined : style(subject).hints?.[like],
        httpStatus: like === 404 ? 404 : undefined
    });
}
/** The response when it is a success that is not a refusal in disguise; otherwise the refusal. */
function accepted(response, describe, subject) {
    if (response.status < 200 || response.status >= 300)
        throw refusedError(response, describe, style(subject));
    const refused = refusalInBody(response.body);
    if (refused !== undefined)
        throw bodyRefusalError(describe, refused, subject);
    return response;
}
function refusalStyle(subject) {
    return style(subject);
}

;// CONCATENATED MODULE: ./src/drivers/epmware/download.ts






const API = '/service/api';
/** A JSON answer this small may be a refusal rather than the file (errors come as HTTP 200 status E). */
const REFUSAL_SIZE_LIMIT = 64 * 1024;
const EXTENSIONS = {
    'text/csv': '.csv',
    'text/plain': '.txt',
    'application/zip': '.zip',
    'application/x-zip-compressed': '.zip',
    'application/xml': '.xml',
    'text/xml': '.xml',
    'application/vnd.ms-excel': '.xls',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx'
};
/**
 * The file name the server gives in Content-Disposition (`attachment; filename="PBCS_export_20250115.csv"`,
 * docs repo first revision, download-file.md; curl -OJ in the current page), reduced to a plain base name so
 * it can never point outside the directory; `export_<task>` with an extension from the content type otherwise.
 */
function exportFileName(disposition, contentType, taskId) {
    const match = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition ?? '') ??
        /filename\s*=\s*"([^"]*)"/i.exec(disposition ?? '') ??
        /filename\s*=\s*([^;]+)/i.exec(disposition ?? '');
    let given = match?.[1]?.trim() ?? '';
    try {
        given = decodeURIComponent(given);
    }
    catch {
        // keep it as it came
    }
    const base = [...external_node_path_default().basename(given.replace(/\\/g, '/'))]
        .map(char => (char.charCodeAt(0) < 0x20 || '<>:"|?*'.includes(char) ? '_' : char))
        .join('');
    if (base && base !== '.' && base !== '..')
        return base;
    const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    return `export_${taskId}${EXTENSIONS[type] ?? ''}`;
}
/**
 * `GET /service/api/export/download_file/{taskId}` (REST API Guide v1.3, Download Export File), streamed to
 * `export-<taskId>/<file name>` through the run's file sink (report/ writes it): never held in memory.
 * Resolves with the file's path and size.
 */
async function downloadExport(http, taskId, files, subject, signal) {
    const request = {
        method: 'GET',
        path: `${API}/export/download_file/${encodeURIComponent(taskId)}`,
        expect: 'text',
        headers: { accept: '*/*' }
    };
    const describe = http.describe(request);
    const opened = await http.stream(request);
    const contentType = String(opened.headers['content-type'] ?? '');
    if (opened.status < 200 || opened.status >= 300) {
        const text = await readSmall(opened.stream);
        throw refusedError({ status: opened.status, headers: opened.headers, body: parseErrorBody(text, contentType), text }, describe, refusalStyle(subject));
    }
    const disposition = opened.headers['content-disposition'];
    let saved;
    try {
        saved = await files(opened.stream, { folder: `export-${taskId}`, file: exportFileName(disposition, contentType, taskId) }, signal);
    }
    catch (error) {
        if (signal.aborted)
            throw error;
        throw new ActionError(`${describe} broke off while the export file was downloaded: ${String(error)}`, {
            transient: true,
            cause: error
        });
    }
    const { file, bytes } = saved;
    if (/json/i.test(contentType) && bytes <= REFUSAL_SIZE_LIMIT) {
        const refused = refusalInBody(parseErrorBody(await (0,promises_.readFile)(file, 'utf8'), contentType));
        if (refused !== undefined) {
            await saved.discard();
            throw bodyRefusalError(describe, refused, subject);
        }
    }
    return { file, bytes };
}
async function readSmall(stream) {
    let text = '';
    for await (const chunk of stream) {
        if (text.length < REFUSAL_SIZE_LIMIT)
            text += String(chunk);
    }
    return text;
}

;// CONCATENATED MODULE: ./src/drivers/epmware/schemas.ts

/** Numbers arrive as strings ("244596", "45"); accept either. */
const stringish = schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]).transform(value => String(value));
/**
 * What every trigger answers (deployment/run, erp/run, erp/upload_file, export/run):
 * `{"status":"S","taskId":"244596"}` (REST API Guide v1.3, Run Deployment; docs repo
 * `tkiratsous/epmware-rest-api` modules/*), sometimes with `message` and `percentCompleted` (the
 * response-formats page's "immediate response"), and on a refusal HTTP 200 `{"status":"E","taskId":"0",
 * "message":"Error: …"}` (getting-started/response-formats.md, modules/erp/upload-file.md).
 */
const RunResponseSchema = schemas/* object */.Ikc({
    status: schemas/* string */.YjP(),
    taskId: stringish.optional(),
    message: schemas/* string */.YjP().nullish(),
    percentCompleted: stringish.nullish()
});
/** `GET /service/api/task/get_status/{taskId}` → all strings (REST API Guide v1.3, Get Task Status). */
const TaskStatusSchema = schemas/* object */.Ikc({
    taskId: stringish.optional(),
    status: schemas/* string */.YjP(),
    percentCompleted: stringish.nullish(),
    message: schemas/* string */.YjP().nullish()
});
/**
 * One execution as get_execution_details lists it. The export page (docs/modules/export/
 * get-execution-details.md, current) gives `id` (the execution's own id), `taskId`, `status`,
 * `statusMeaning`, `message`, `startDate`, `endDate`, `outputFileName`, `createTime`; the repository's first
 * revision of that page gives `statusCode` instead of `status`. `task_id`, `percentCompleted`, `startTime`
 * are the forms this action accepted before (ASSUMED then; still accepted).
 */
const ExecutionSchema = schemas/* object */.Ikc({
    taskId: stringish.optional(),
    task_id: stringish.optional(),
    status: schemas/* string */.YjP().optional(),
    statusCode: schemas/* string */.YjP().optional(),
    statusMeaning: schemas/* string */.YjP().nullish(),
    message: schemas/* string */.YjP().nullish(),
    percentCompleted: stringish.nullish(),
    startDate: schemas/* string */.YjP().nullish(),
    startTime: schemas/* string */.YjP().nullish(),
    createTime: schemas/* string */.YjP().nullish(),
    outputFileName: schemas/* string */.YjP().nullish()
})
    .loose();
/** The vendor's wrapper key: `vEWVExportExecutions` (documented), `vEWVDeploymentExecutions` (likely), … */
const WRAPPER_KEY = /^vEWV\w*Executions$/;
/** The array under any `vEWV…Executions` key, when the body has one. */
function wrapped(body) {
    if (!body || typeof body !== 'object' || Array.isArray(body))
        return undefined;
    for (const [key, value] of Object.entries(body)) {
        if (WRAPPER_KEY.test(key) && Array.isArray(value))
            return value;
    }
    return undefined;
}
/**
 * get_execution_details, in every form a source shows: the vendor's `{"vEWV…Executions":[…],
 * "totalCount":"9",…}` wrapper, newest first (export page), and the forms accepted before it was known — a
 * bare array, `{executions:[…]}`, `{data:[…]}` (the guide's collection pattern) and one bare object.
 */
const ExecutionDetailsSchema = schemas/* preprocess */.vkY(body => wrapped(body) ?? body, schemas/* union */.KCZ([
    schemas/* array */.YOg(ExecutionSchema),
    schemas/* object */.Ikc({ executions: schemas/* array */.YOg(ExecutionSchema) })
        .loose()
        .transform(value => value.executions),
    schemas/* object */.Ikc({ data: schemas/* array */.YOg(ExecutionSchema) })
        .loose()
        .transform(value => value.data),
    ExecutionSchema.transform(value => [value])
]));
/** The execution's task id, in either spelling. */
function taskIdOf(execution) {
    const id = execution.taskId ?? execution.task_id;
    return id && id !== '0' ? id : undefined;
}
/** The execution's status code, in either spelling (`status` current page, `statusCode` first revision). */
function statusCodeOf(execution) {
    return execution.status ?? execution.statusCode;
}
/** When the execution started, by the server's clock, when it says (ms since the epoch). */
function startedAtOf(execution) {
    for (const text of [execution.startDate, execution.startTime, execution.createTime]) {
        if (!text)
            continue;
        const at = Date.parse(text);
        if (Number.isFinite(at))
            return at;
    }
    return undefined;
}
const oneCharacter = (what) => schemas/* string */.YjP().refine(value => [...value].length === 1, `${what} must be exactly one character, e.g. ","`);
const EpmwareParametersSchema = schemas/* strictObject */.rej({
    /** A deployment to run when this one fails; its result is reported too. */
    rollback: schemas/* string */.YjP().trim().min(1, 'rollback must name a deployment configuration').optional(),
    /** erp-import: the file's column delimiter (erp/upload_file `delimiter_char`, required there; `,` here). */
    delimiter_char: oneCharacter('delimiter_char').optional(),
    /** erp-import: the character fields are enclosed by (erp/upload_file `enclosing_char`, optional). */
    enclosing_char: schemas/* string */.YjP()
        .refine(value => [...value].length <= 1, 'enclosing_char must be one character or empty')
        .optional(),
    /** export: run this export book (export/run `book_name`) instead of the profile named by target. */
    book_name: schemas/* string */.YjP().trim().min(1, 'book_name must name an export book').optional()
});

;// CONCATENATED MODULE: ./src/drivers/epmware/executions.ts




const executions_API = '/service/api';
function executionsRequest(module, name, latestOnly = true) {
    return {
        method: 'GET',
        path: `${executions_API}/${module}/get_execution_details`,
        query: { name, latest_only: latestOnly ? 'Y' : 'N' }
    };
}
/**
 * `GET /service/api/{deployment|export}/get_execution_details?name=…&latest_only=Y`: the executions, newest
 * first. An HTTP error or an HTTP 200 refusal (`status: "E"`) is an ActionError, never an empty list.
 */
async function readExecutions(http, module, subject, latestOnly = true) {
    const request = executionsRequest(module, subject.name, latestOnly);
    const response = accepted(await http.send(request), http.describe(request), subject);
    const executions = decode(ExecutionDetailsSchema, response.body ?? [], `EPMware ${module}/get_execution_details`);
    for (const [index, execution] of executions.entries()) {
        if (statusCodeOf(execution) === undefined) {
            throw new ActionError(`EPMware ${module}/get_execution_details answered an execution without status or statusCode (element ${index}): ${JSON.stringify(execution).slice(0, 200)}`, {
                hint: 'The server may run an API version this action does not support yet; please open an issue with this message.'
            });
        }
    }
    return { executions, body: response.body };
}
/** Where a user looks for what the action could not find itself. */
function whereToLook(module, name) {
    if (module === 'erp')
        return `the ERP import ${name}'s tasks in EPMware`;
    return `the executions of ${module} ${name} in EPMware (GET /service/api/${module}/get_execution_details?name=${encodeURIComponent(name)}&latest_only=N)`;
}

;// CONCATENATED MODULE: ./src/drivers/epmware/dry-run.ts







const dry_run_API = '/service/api';
/**
 * Reads, never runs: get_execution_details for each deployment name (target, rollback) or export profile,
 * get_status for the task of `operation: await`; for erp-import the file is resolved and the token checked.
 */
function epmwareDryRun(deployment, http) {
    if (deployment.operation === 'await') {
        const taskId = deployment.taskId ?? '';
        return runDryRunLookups([
            {
                check: 'task found',
                run: async () => {
                    const request = {
                        method: 'GET',
                        path: `${dry_run_API}/task/get_status/${encodeURIComponent(taskId)}`
                    };
                    const status = decode(TaskStatusSchema, (await read(http, request, `task ${taskId}`)).body, 'EPMware task/get_status');
                    return `task ${taskId} is ${status.status}${status.message ? `: ${status.message}` : ''}`;
                }
            }
        ]);
    }
    if (deployment.operation === 'erp-import')
        return erpImportDryRun(deployment, http);
    if (deployment.operation === 'export') {
        const book = typeof deployment.parameters.book_name === 'string' ? deployment.parameters.book_name : undefined;
        if (book)
            return bookDryRun(http, book);
        return runDryRunLookups([
            { check: 'target resolved', run: () => describeLatest(http, 'export', deployment.target ?? '') }
        ]);
    }
    const names = [deployment.target ?? ''];
    if (typeof deployment.parameters.rollback === 'string')
        names.push(deployment.parameters.rollback);
    return runDryRunLookups(names.map((name, index) => ({
        check: index === 0 ? 'target resolved' : 'rollback target resolved',
        run: () => describeLatest(http, 'deployment', name)
    })));
}
/**
 * The ERP module has upload_file and run only (REST API Guide v1.3): nothing reads an import configuration.
 * The server and token are checked with a read of task 0 (ASSUMED harmless: a 404 or an HTTP 200 refusal
 * means the token was accepted), the file locally.
 */
async function erpImportDryRun(deployment, http) {
    let file;
    try {
        file = { check: 'artifacts resolved', ok: true, detail: describeFile(deployment) };
    }
    catch (error) {
        return [{ check: 'artifacts resolved', ok: false, detail: toActionError(error).message }];
    }
    return [
        ...(await probeAccess(http)),
        file,
        {
            check: 'target resolved',
            ok: true,
            detail: `not checked: EPMware has no call that reads ERP import ${deployment.target ?? ''} without running it`
        }
    ];
}
async function bookDryRun(http, book) {
    return [
        ...(await probeAccess(http)),
        {
            check: 'target resolved',
            ok: true,
            detail: `not checked: get_execution_details takes export names, not books (export book ${book})`
        }
    ];
}
/** Server reachable and token accepted, from a read that changes nothing. */
async function probeAccess(http) {
    const request = { method: 'GET', path: `${dry_run_API}/task/get_status/0` };
    try {
        const response = await http.send(request);
        if (response.status === 401 || response.status === 403) {
            return [
                { check: 'server reachable', ok: true, detail: 'the server answered' },
                {
                    check: 'credentials accepted',
                    ok: false,
                    detail: `the token was refused (HTTP ${response.status}: ${errorMessageOf(response.body, 'no message')})`
                }
            ];
        }
        return [
            { check: 'server reachable', ok: true, detail: 'the server answered' },
            { check: 'credentials accepted', ok: true, detail: 'the token was accepted' }
        ];
    }
    catch (error) {
        return [{ check: 'server reachable', ok: false, detail: toActionError(error).message }];
    }
}
function describeFile(deployment) {
    const { files, problems } = resolveArtifacts(workspaceDirectory(), deployment.artifacts);
    const [file] = files;
    if (problems.length > 0 || !file || files.length !== 1) {
        throw new ActionError(problems.map(problem => `'${problem.value}' ${problem.problem}`).join('; ') ||
            `artifacts matched ${files.length} files; erp-import uploads exactly one`);
    }
    return `${file.relative} (${file.size} bytes) would be uploaded`;
}
async function describeLatest(http, module, name) {
    const request = executionsRequest(module, name);
    const response = await read(http, request, `${module} configuration ${name}`);
    const refused = refusalInBody(response.body);
    if (refused !== undefined) {
        throw new ActionError(`EPMware knows no ${module} configuration ${name} (${refused})`, {
            httpStatus: 404
        });
    }
    const executions = ExecutionDetailsSchema.safeParse(response.body ?? []);
    const latest = executions.success ? executions.data[0] : undefined;
    const last = latest
        ? `; latest run: task ${taskIdOf(latest) ?? '?'}, status ${statusCodeOf(latest) ?? '?'}${latest.statusMeaning ? ` (${latest.statusMeaning})` : ''}`
        : executions.success
            ? '; never run'
            : '';
    return `${module} configuration ${name} exists${last}`;
}
/** A GET whose failure says what EPMware refused, with the HTTP status the dry-run classifier reads. */
async function read(http, request, what) {
    const response = await http.send(request);
    if (response.status >= 200 && response.status < 300)
        return response;
    const said = `HTTP ${response.status}: ${errorMessageOf(response.body, 'no message')}`;
    const message = response.status === 401
        ? `the token was refused (${said})`
        : response.status === 403
            ? `the token’s user may not read ${what} (${said})`
            : response.status === 404
                ? `EPMware knows no ${what} (${said})`
                : `could not look up ${what} (${said})`;
    throw new ActionError(message, { httpStatus: response.status, transient: response.status >= 500 });
}

;// CONCATENATED MODULE: ./src/drivers/epmware/status.ts
/** EPMware task status codes (Task module overview; get_status page lists N, S, E). */
const CODES = {
    N: { state: 'running', label: 'queued' },
    P: { state: 'running', label: 'pending' },
    R: { state: 'running', label: 'running' },
    S: { state: 'succeeded', label: 'completed' },
    W: { state: 'succeeded', label: 'completed with warnings' },
    E: { state: 'failed', label: 'failed' },
    C: { state: 'canceled', label: 'cancelled' }
};
function mapTaskStatus(code, percent, message, details) {
    const known = CODES[code.trim().toUpperCase()];
    const percentNumber = percent !== null && percent !== undefined && percent !== '' ? Number(percent) : undefined;
    const status = {
        state: known?.state ?? 'running',
        code,
        label: known?.label ?? `unknown status '${code}'`,
        message: message ?? undefined,
        percent: Number.isFinite(percentNumber) ? percentNumber : undefined,
        details
    };
    if (code.trim().toUpperCase() === 'W') {
        status.warning = `EPMware finished with warnings${message ? `: ${message}` : ''}`;
    }
    return status;
}
function isKnownCode(code) {
    return code.trim().toUpperCase() in CODES;
}

;// CONCATENATED MODULE: ./src/http/retry.ts

/** Jittered exponential backoff: attempt 1 waits about base, each next one twice as long, capped. */
function backoffDelay(attempt, baseMs, maxMs, random = Math.random) {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header, now) {
    const value = Array.isArray(header) ? header[0] : header;
    if (!value)
        return undefined;
    if (/^\s*\d+\s*$/.test(value))
        return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** Network errors after which a read can be sent again. */
function isNetworkError(error) {
    const { code, message } = errorFields(error);
    return ([
        'ECONNRESET',
        'ECONNREFUSED',
        'ETIMEDOUT',
        'EPIPE',
        'ENOTFOUND',
        'EAI_AGAIN',
        'ECONNABORTED',
        'EHOSTUNREACH',
        'ENETUNREACH',
        'UND_ERR_SOCKET'
    ].includes(code) || /socket hang up|Request timeout|aborted|ended early/i.test(message));
}
/** Errors that prove the request never reached the server, so even a trigger may be sent again. */
function neverReachedServer(error) {
    const { code, message } = errorFields(error);
    // A proxy that did not open its tunnel: nothing was sent past it.
    if (/tunneling socket could not be established/i.test(message))
        return true;
    return ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code);
}

;// CONCATENATED MODULE: ./src/drivers/epmware/trigger.ts








/** How far the server's clock may be behind ours when "started after the trigger" is judged (ASSUMED). */
const CLOCK_SKEW_MS = 5_000;
/** Look-ups made for a trigger whose answer was lost: the server may record the execution a moment late. */
const LOOKUP_ATTEMPTS = 3;
/**
 * Sends a trigger once — bounded by the step's deadline, not the per-request timeout, since EPMware may hold
 * it open for `timeout_min` ("minutes to wait for the execution to complete", REST API Guide v1.3) — and makes
 * sense of what came back: a task, a refusal (HTTP error or HTTP 200 `status: "E"`), "already running"
 * (followed or named, per if-busy), or no answer at all (looked up, never sent again).
 */
async function sendTrigger(context, trigger, signal) {
    const { http, clock } = context;
    const request = { ...trigger.request, timeoutMs: Number.POSITIVE_INFINITY, idempotent: false };
    const describe = http.describe(request);
    const triggeredAt = clock.now();
    let response;
    try {
        response = await http.send(request);
    }
    catch (error) {
        if (signal.aborted || !mayHaveReachedServer(error))
            throw error;
        return recoverLostAnswer(context, trigger, describe, toActionError(error), triggeredAt, signal);
    }
    const { subject } = trigger;
    if (response.status < 200 || response.status >= 300) {
        const message = errorMessageOf(response.body, response.text.trim() || `HTTP ${response.status}`);
        if (isBusy(response.status, message)) {
            return whenBusy(context, trigger, refusedError(response, describe, refusalStyle(subject)), signal);
        }
        throw refusedError(response, describe, refusalStyle(subject));
    }
    const refused = refusalInBody(response.body);
    if (refused !== undefined) {
        const error = bodyRefusalError(describe, refused, subject);
        if (isBusy(response.status, refused))
            return whenBusy(context, trigger, error, signal);
        throw error;
    }
    const body = decode(RunResponseSchema, response.body, `EPMware ${request.path.replace('/service/api/', '')}`);
    if (body.status.trim().toUpperCase() !== 'S' || !body.taskId || body.taskId === '0') {
        throw new ActionError(`EPMware did not start ${subject.noun} ${subject.name}: ${body.message ?? `status ${body.status}`}`);
    }
    return {
        taskId: body.taskId,
        message: `EPMware accepted ${subject.noun} ${subject.name} as task ${body.taskId}`
    };
}
/**
 * Whether the request may have reached the server although no usable answer came back: a reset, a timeout,
 * a body cut short or garbled. Not when it provably never left (connection refused, unknown host, a TLS
 * handshake refused) or was never sent (the deadline had passed).
 */
function mayHaveReachedServer(error) {
    if (error instanceof UnreadableBodyError)
        return true;
    // A refused certificate or proxy, a bad URL: not transient, and nothing reached the server's application.
    if (!(error instanceof ActionError) || error.cause === undefined || !error.transient)
        return false;
    return !neverReachedServer(error.cause);
}
function startedAfter(execution, triggeredAt) {
    const at = startedAtOf(execution);
    if (at !== undefined)
        return at >= triggeredAt - CLOCK_SKEW_MS;
    // No start time to judge by: a task still running right after the trigger is taken to be ours.
    return mapTaskStatus(statusCodeOf(execution) ?? '', null, null, null).state === 'running';
}
async function recoverLostAnswer(context, trigger, describe, lost, triggeredAt, signal) {
    const { subject } = trigger;
    const said = `${lost.message}; ${subject.noun} ${subject.name} may be running`;
    const never = 'the action never sends a trigger twice';
    if (!trigger.lookup) {
        throw new ActionError(said, {
            hint: `EPMware has no call to look the task up; check ${trigger.where} before running the step again (${never}).`,
            cause: lost
        });
    }
    let problem = '';
    for (let attempt = 1; attempt <= LOOKUP_ATTEMPTS; attempt++) {
        try {
            const { executions } = await readExecutions(context.http, trigger.lookup, subject);
            const latest = executions[0];
            const taskId = latest ? taskIdOf(latest) : undefined;
            if (latest && taskId && startedAfter(latest, triggeredAt)) {
                return {
                    taskId,
                    message: `The answer to ${describe} was lost (${lost.message}); EPMware lists task ${taskId} of ${subject.noun} ${subject.name} as started after the trigger: following it`
                };
            }
            problem = '';
        }
        catch (error) {
            if (signal.aborted)
                throw error;
            const failure = toActionError(error);
            problem = ` (the look-up failed: ${failure.message})`;
            if (!failure.transient)
                break;
        }
        if (attempt < LOOKUP_ATTEMPTS)
            await context.clock.sleep(context.pollIntervalMs, signal);
    }
    throw new ActionError(said, {
        hint: `No execution started after the trigger was found${problem}; check ${trigger.where} before running the step again (${never}).`,
        cause: lost
    });
}
/** EPMware says the same job is already running: name the running task, or follow it (if-busy: await). */
async function whenBusy(context, trigger, refusal, signal) {
    const { subject } = trigger;
    let running;
    let problem = '';
    if (trigger.lookup) {
        try {
            const { executions } = await readExecutions(context.http, trigger.lookup, subject);
            const latest = executions[0];
            const state = latest ? mapTaskStatus(statusCodeOf(latest) ?? '', null, null, null).state : undefined;
            running = latest && state === 'running' ? taskIdOf(latest) : undefined;
            if (!running)
                problem = 'its latest execution is not a running task';
        }
        catch (error) {
            if (signal.aborted)
                throw error;
            problem = `the look-up failed: ${toActionError(error).message}`;
        }
    }
    else {
        problem = 'EPMware has no call to look it up';
    }
    if (running && context.ifBusy === 'await') {
        return {
            taskId: running,
            message: `${subject.noun} ${subject.name} is already running as task ${running}; following it instead of starting another (if-busy: await)`
        };
    }
    const named = running
        ? `; the running task is ${running}`
        : `; the running task could not be named (${problem})`;
    const hint = running
        ? `Wait for task ${running}, follow it with operation: await and task-id: ${running}, or set if-busy: await.`
        : `Check ${trigger.where}; wait for the running task before running the step again.`;
    if (context.ifBusy === 'await') {
        throw new ActionError(`${refusal.message}; if-busy: await cannot follow it: ${problem}`, {
            hint,
            httpStatus: refusal.httpStatus
        });
    }
    throw new ActionError(`${refusal.message}${named}`, { hint, httpStatus: refusal.httpStatus });
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/drivers/upload/multipart.ts



const multipart_isFile = (part) => 'path' in part;
const CRLF = '\r\n';
/** Quotes a value for a Content-Disposition parameter the way browsers do (WHATWG form encoding). */
function quoted(value) {
    return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}
function partHeader(boundary, part) {
    if (!multipart_isFile(part)) {
        return Buffer.from(`--${boundary}${CRLF}Content-Disposition: form-data; name="${quoted(part.field)}"${CRLF}${CRLF}${part.value}`, 'utf8');
    }
    return Buffer.from(`--${boundary}${CRLF}` +
        `Content-Disposition: form-data; name="${quoted(part.field)}"; filename="${quoted(part.filename)}"${CRLF}` +
        `Content-Type: ${part.contentType ?? 'application/octet-stream'}${CRLF}${CRLF}`, 'utf8');
}
function newBoundary() {
    return `----enterprise-deploy-${(0,external_node_crypto_.randomBytes)(16).toString('hex')}`;
}
function multipartBody(parts, boundary = newBoundary()) {
    const headers = parts.map(part => partHeader(boundary, part));
    const closing = Buffer.from(`--${boundary}--${CRLF}`);
    const separator = Buffer.from(CRLF);
    const length = headers.reduce((sum, header) => sum + header.length, 0) +
        parts.reduce((sum, part) => sum + (multipart_isFile(part) ? part.size : 0) + separator.length, 0) +
        closing.length;
    async function* generate() {
        for (const [index, part] of parts.entries()) {
            yield headers[index];
            if (!multipart_isFile(part)) {
                yield separator;
                continue;
            }
            let read = 0;
            for await (const chunk of (0,external_node_fs_.createReadStream)(part.path, { highWaterMark: 256 * 1024 })) {
                read += chunk.length;
                if (read > part.size)
                    break;
                yield chunk;
            }
            if (read !== part.size) {
                throw new Error(`${part.filename} changed while it was uploaded (${part.size} bytes expected)`);
            }
            yield separator;
        }
        yield closing;
    }
    return {
        contentType: `multipart/form-data; boundary=${boundary}`,
        length,
        open: () => external_node_stream_.Readable.from(generate(), { objectMode: false })
    };
}
/**
 * The request body handed to the HTTP client. The client pipes its body once per attempt, and it may send
 * a trigger again when the first attempt never reached the server (connection refused): each pipe gets a
 * fresh stream from disk, so a second attempt never sends a half-consumed one.
 */
class ReplayableBody extends external_node_stream_.Readable {
    body;
    constructor(body) {
        super();
        this.body = body;
    }
    _read() { }
    pipe(destination, options) {
        const fresh = this.body.open();
        fresh.once('error', error => {
            const writable = destination;
            writable.destroy?.(error);
        });
        destination.once('close', () => fresh.destroy());
        return fresh.pipe(destination, options);
    }
}

;// CONCATENATED MODULE: ./src/drivers/mobilefirst/multipart.ts
// Moved to src/drivers/upload/ (shared with Mule MMC's application upload).


;// CONCATENATED MODULE: ./src/drivers/epmware/upload.ts



const upload_CRLF = '\r\n';
function upload_quoted(value) {
    return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}
/**
 * `multipart/form-data` with text fields and one `file` part, the form `erp/upload_file` takes (REST API
 * Guide v1.3 and docs/modules/erp/upload-file.md: `-F 'file=@…' -F 'name=…' -F 'delimiter_char=…'
 * -F 'enclosing_char=…'`). Its exact length is known, so it is sent with Content-Length.
 */
function uploadForm(fields, file, boundary = newBoundary()) {
    const head = Buffer.from(Object.entries(fields)
        .map(([name, value]) => `--${boundary}${upload_CRLF}Content-Disposition: form-data; name="${upload_quoted(name)}"${upload_CRLF}${upload_CRLF}${value}${upload_CRLF}`)
        .join('') +
        `--${boundary}${upload_CRLF}Content-Disposition: form-data; name="file"; filename="${upload_quoted(file.filename)}"${upload_CRLF}` +
        `Content-Type: application/octet-stream${upload_CRLF}${upload_CRLF}`, 'utf8');
    const tail = Buffer.from(`${upload_CRLF}--${boundary}--${upload_CRLF}`);
    async function* generate() {
        yield head;
        let read = 0;
        for await (const chunk of (0,external_node_fs_.createReadStream)(file.path, { highWaterMark: 256 * 1024 })) {
            read += chunk.length;
            if (read > file.size)
                break;
            yield chunk;
        }
        if (read !== file.size)
            throw new Error(`${file.filename} changed while it was uploaded (${file.size} bytes expected)`);
        yield tail;
    }
    return {
        contentType: `multipart/form-data; boundary=${boundary}`,
        length: head.length + file.size + tail.length,
        open: () => external_node_stream_.Readable.from(generate(), { objectMode: false })
    };
}
/** The body to hand the HTTP client: a fresh stream from disk for every attempt. */
function replayable(body) {
    return new ReplayableBody(body);
}

;// CONCATENATED MODULE: ./src/drivers/epmware/driver.ts











const driver_API = '/service/api';
/** The delimiter erp/upload_file requires; the vendor's example uses a comma. */
const DEFAULT_DELIMITER = ',';
class EpmwareDriver {
    context;
    warnedCodes = new Set();
    /** Export files already downloaded, by task id: a second final read never downloads again. */
    exportFiles = new Map();
    constructor(context) {
        this.context = context;
    }
    get deployment() {
        return this.context.deployment;
    }
    get parameters() {
        return EpmwareParametersSchema.parse(this.deployment.parameters);
    }
    get target() {
        return this.deployment.target ?? '';
    }
    /** `timeout_min`: the step's timeout in whole minutes, at least 1 (default 60 on the server). */
    get timeoutMin() {
        return Math.max(1, Math.ceil(this.deployment.timeoutMs / 60_000));
    }
    get triggerContext() {
        return {
            http: this.context.http,
            clock: this.context.clock,
            ifBusy: this.deployment.ifBusy,
            pollIntervalMs: this.deployment.pollIntervalMs
        };
    }
    async start(signal) {
        switch (this.deployment.operation) {
            case 'status':
                return { kind: 'final', ...(await this.latestExecution()) };
            case 'erp-import':
                return this.erpImport(signal);
            case 'export':
                return this.runExport(signal);
            default:
                return this.runDeployment(signal);
        }
    }
    /** `POST /service/api/deployment/run {name, timeout_min}` (REST API Guide v1.3, Run Deployment). */
    async runDeployment(signal) {
        const subject = { noun: 'deployment', name: this.target };
        const triggered = await sendTrigger(this.triggerContext, {
            request: {
                method: 'POST',
                path: `${driver_API}/deployment/run`,
                json: { name: this.target, timeout_min: this.timeoutMin }
            },
            subject,
            lookup: 'deployment',
            where: whereToLook('deployment', this.target)
        }, signal);
        return this.follow(triggered);
    }
    /**
     * `POST /service/api/erp/upload_file` (multipart: file, name, delimiter_char, enclosing_char), whose task
     * loads the file into the interface table, then — once that task has succeeded, since the Run ERP Import
     * page requires the data "already loaded in the interface table (via upload API)" — `POST
     * /service/api/erp/run {name, timeout_min}`, followed like a deployment (REST API Guide v1.3, ERP module;
     * docs/modules/erp/*.md).
     */
    async erpImport(signal) {
        const subject = { noun: 'ERP import', name: this.target };
        const where = whereToLook('erp', this.target);
        const file = this.importFile();
        const { delimiter_char: delimiter = DEFAULT_DELIMITER, enclosing_char: enclosing } = this.parameters;
        const fields = { name: this.target, delimiter_char: delimiter };
        if (enclosing !== undefined)
            fields.enclosing_char = enclosing;
        const form = uploadForm(fields, { path: file.path, filename: file.name, size: file.size });
        this.context.log.info(`Uploading ${file.relative} (${file.size} bytes) for ERP import ${this.target}`);
        const upload = await sendTrigger(this.triggerContext, {
            request: {
                method: 'POST',
                path: `${driver_API}/erp/upload_file`,
                body: replayable(form),
                headers: { 'content-type': form.contentType, 'content-length': String(form.length) }
            },
            subject,
            where
        }, signal);
        this.context.log.info(`EPMware accepted the file as task ${upload.taskId}; waiting for it to load`);
        const loaded = await this.waitFor({ id: upload.taskId }, signal);
        if (loaded.state !== 'succeeded') {
            return {
                kind: 'final',
                task: { id: upload.taskId },
                status: {
                    ...loaded,
                    message: `The upload of ${file.relative} (task ${upload.taskId}) ended ${loaded.label ?? loaded.code}${loaded.message ? `: ${loaded.message}` : ''}; the import was not run`
                }
            };
        }
        if (loaded.warning)
            this.context.log.warning(loaded.warning);
        const run = await sendTrigger(this.triggerContext, {
            request: {
                method: 'POST',
                path: `${driver_API}/erp/run`,
                json: { name: this.target, timeout_min: this.timeoutMin }
            },
            subject,
            where
        }, signal);
        return this.follow(run);
    }
    /**
     * `POST /service/api/export/run {name}` or `{book_name}` (REST API Guide v1.3, Run Export), followed; on
     * success the file is downloaded (`export/download_file/{taskId}`) and published as `export-file`.
     */
    async runExport(signal) {
        const book = this.parameters.book_name;
        const subject = book
            ? { noun: 'export book', name: book }
            : { noun: 'export profile', name: this.target };
        const triggered = await sendTrigger(this.triggerContext, {
            request: {
                method: 'POST',
                path: `${driver_API}/export/run`,
                json: book ? { book_name: book } : { name: this.target }
            },
            subject,
            // get_execution_details takes an export name; books are not documented there.
            lookup: book ? undefined : 'export',
            where: book ? `the export book ${book}'s tasks in EPMware` : whereToLook('export', this.target)
        }, signal);
        return this.follow(triggered, { kind: 'export', name: subject.name, noun: subject.noun });
    }
    /** The task a trigger named, to poll. */
    follow(triggered, context) {
        return { kind: 'task', task: { id: triggered.taskId, context }, message: triggered.message };
    }
    resume(taskId) {
        return { id: taskId };
    }
    async status(task, signal) {
        const status = await this.readTask(task);
        if (task.context?.kind === 'export' && status.state === 'succeeded') {
            status.exportFile = await this.exportFile(task, signal);
            status.message = `${status.message ?? 'Export complete'}; file saved as ${status.exportFile}`;
        }
        return status;
    }
    async readTask(task) {
        const request = { method: 'GET', path: `${driver_API}/task/get_status/${encodeURIComponent(task.id)}` };
        const response = ensureOk(await this.context.http.send(request), this.context.http.describe(request), refusalStyle({ noun: 'task', name: task.id }));
        const body = decode(TaskStatusSchema, response.body, 'EPMware task/get_status');
        if (!isKnownCode(body.status) && !this.warnedCodes.has(body.status)) {
            this.warnedCodes.add(body.status);
            this.context.log.warning(`EPMware reported an unknown task status '${body.status}'; still waiting for a known final status`);
        }
        return mapTaskStatus(body.status, body.percentCompleted, body.message, body);
    }
    /** Reads a task until it ends (the upload of an ERP import, before its run); the client keeps the deadline. */
    async waitFor(task, signal) {
        for (;;) {
            const status = await this.readTask(task);
            if (status.state !== 'running')
                return status;
            await this.context.clock.sleep(this.deployment.pollIntervalMs, signal);
        }
    }
    async exportFile(task, signal) {
        const known = this.exportFiles.get(task.id);
        if (known)
            return known;
        const subject = {
            noun: String(task.context?.noun ?? 'export profile'),
            name: String(task.context?.name ?? this.target)
        };
        if (!this.context.files)
            throw new ActionError('No place to save the export file was given to the driver');
        const { file, bytes } = await downloadExport(this.context.http, task.id, this.context.files, subject, signal);
        this.context.log.info(`Downloaded the export file of task ${task.id} (${bytes} bytes) to ${file}`);
        this.exportFiles.set(task.id, file);
        return file;
    }
    async log(task) {
        const request = {
            method: 'GET',
            path: `${driver_API}/task/get_log_file/${encodeURIComponent(task.id)}`,
            expect: 'text'
        };
        const opened = await this.context.http.stream(request);
        if (opened.status === 404) {
            opened.stream.resume();
            return undefined;
        }
        if (opened.status < 200 || opened.status >= 300) {
            opened.stream.resume();
            throw new ActionError(`${this.context.http.describe(request)} answered HTTP ${opened.status}`, {
                httpStatus: opened.status
            });
        }
        return opened.stream;
    }
    dryRun() {
        return epmwareDryRun(this.deployment, this.context.http);
    }
    followUpOnFailure() {
        const rollback = this.parameters.rollback;
        if (!rollback)
            return undefined;
        return {
            ...this.deployment,
            name: `${rollback} (rollback)`,
            target: rollback,
            operation: 'run',
            parameters: {}
        };
    }
    /** The one file of `artifacts`, resolved again at upload time inside the workspace. */
    importFile() {
        const { files, problems } = resolveArtifacts(workspaceDirectory(), this.deployment.artifacts);
        if (problems.length > 0) {
            throw new ActionError(`The artifacts changed since the inputs were checked: ${problems.map(problem => `'${problem.value}' ${problem.problem}`).join('; ')}`);
        }
        const [file] = files;
        if (!file || files.length > 1) {
            throw new ActionError(`erp-import uploads exactly one file; artifacts matched ${files.length}`);
        }
        return file;
    }
    /**
     * `operation: status`: the deployment's latest execution as EPMware reports it, triggering nothing. An
     * empty list is `skipped` ("no executions yet"); an HTTP error or an HTTP 200 refusal is an error.
     */
    async latestExecution() {
        const subject = { noun: 'deployment', name: this.target };
        const { executions, body } = await readExecutions(this.context.http, 'deployment', subject);
        const latest = executions[0];
        if (!latest) {
            return {
                status: {
                    state: 'skipped',
                    code: 'none',
                    label: 'never run',
                    message: `Deployment ${this.target} has no executions yet`,
                    details: body
                }
            };
        }
        const taskId = taskIdOf(latest);
        const code = statusCodeOf(latest) ?? '';
        const mapped = mapTaskStatus(code, latest.percentCompleted, latest.message, latest);
        if (!isKnownCode(code) && latest.statusMeaning)
            mapped.label = `${latest.statusMeaning} ('${code}')`;
        return { status: mapped, task: taskId ? { id: taskId } : undefined };
    }
}

;// CONCATENATED MODULE: ./src/drivers/epmware/index.ts



/** Which operation each parameter belongs to. */
const PARAMETER_OPERATIONS = {
    rollback: 'run',
    delimiter_char: 'erp-import',
    enclosing_char: 'erp-import',
    book_name: 'export'
};
const TARGETS = {
    run: 'the deployment configuration name, e.g. ASOALL',
    status: 'the deployment configuration name, e.g. ASOALL',
    'erp-import': 'the ERP import configuration name, e.g. ASOALL_Account',
    export: 'the export profile name, e.g. PBCS (or parameters.book_name for an export book)'
};
const epmware = {
    platform: 'epmware',
    title: 'EPMware',
    operations: ['run', 'status', 'erp-import', 'export'],
    defaultOperation: 'run',
    readOnlyOperations: ['status'],
    credentials: 'token',
    tokenPlacement: 'header',
    tokenScheme: 'Token',
    parameters: EpmwareParametersSchema,
    noCancelReason: 'EPMware’s REST API has no call to cancel a task',
    validate(deployment) {
        const problems = [];
        const { operation, parameters } = deployment;
        const book = typeof parameters.book_name === 'string' ? parameters.book_name : undefined;
        if (operation !== 'await' && !deployment.target && !(operation === 'export' && book)) {
            problems.push({
                input: 'target',
                problem: `is required for epmware ${operation}: ${TARGETS[operation] ?? TARGETS.run}`
            });
        }
        if (operation === 'export' && book && deployment.target) {
            problems.push({
                input: 'parameters',
                value: `book_name: ${book}`,
                problem: 'export runs either the profile named by target or the book named by book_name, not both'
            });
        }
        for (const [key, value] of Object.entries(parameters)) {
            const owner = PARAMETER_OPERATIONS[key];
            if (owner && owner !== operation) {
                problems.push({
                    input: 'parameters',
                    key,
                    value: `${key}: ${String(value)}`,
                    problem: `${key} applies only to operation: ${owner}`
                });
            }
        }
        if (parameters.rollback !== undefined && parameters.rollback === deployment.target) {
            problems.push({
                input: 'parameters',
                value: `rollback: ${String(parameters.rollback)}`,
                problem: 'rollback must name a different deployment than target'
            });
        }
        if (operation === 'erp-import')
            problems.push(...importFileProblems(deployment.artifacts));
        return problems;
    },
    create: context => new EpmwareDriver(context)
};
/** erp-import uploads exactly one file, inside the workspace (the MobileFirst driver's containment rules). */
function importFileProblems(artifacts) {
    if (artifacts.length === 0) {
        return [
            {
                input: 'artifacts',
                problem: 'is required for epmware erp-import: the file to import, e.g. data/accounts.csv'
            }
        ];
    }
    const { files, problems } = resolveArtifacts(workspaceDirectory(), artifacts);
    if (problems.length > 0)
        return problems;
    if (files.length > 1) {
        return [
            {
                input: 'artifacts',
                value: artifacts.join(', '),
                problem: `matches ${files.length} files (${files.map(file => file.relative).join(', ')}); erp-import uploads exactly one`
            }
        ];
    }
    return [];
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/api.ts
/** Below base-url (which carries the console's context path, e.g. /mmc). */
const DEPLOYMENTS = '/api/deployments';
/**
 * One path segment for an id such as `local$97e3c184-…`. `$` is a sub-delimiter that RFC 3986 allows as is
 * in a path segment, and the vendor's own examples send it that way (quoted for the shell only); anything
 * else unsafe is percent-encoded.
 */
function segment(id) {
    return encodeURIComponent(id).replace(/%24/g, '$');
}
function deploymentPath(id, action) {
    return `${DEPLOYMENTS}/${segment(id)}${action ? `/${action}` : ''}`;
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/schemas.ts

const ids = schemas/* array */.YOg(schemas/* string */.YjP()).nullish();
/**
 * A deployment as the console shows it (Managing Deployments Using REST APIs; REST API Reference:
 * Deployments, github.com/mulesoft/docs-mule-management-console deployments.adoc). `lastModified` is kept as
 * the exact string: add and remove want it sent back unchanged.
 */
const MmcDeploymentSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP().min(1),
    name: schemas/* string */.YjP(),
    status: schemas/* string */.YjP(),
    href: schemas/* string */.YjP().nullish(),
    lastModified: schemas/* string */.YjP().nullish(),
    reconciled: schemas/* boolean */.zMY().nullish(),
    servers: ids,
    clusterIds: ids,
    clusterNames: ids,
    applications: ids
})
    .loose();
/** `GET /api/deployments` → `{total, data: […]}`. */
const DeploymentListSchema = schemas/* object */.Ikc({ total: schemas/* number */.aig().optional(), data: schemas/* array */.YOg(MmcDeploymentSchema) })
    .loose()
    .transform(list => list.data);
/**
 * `GET /api/deployments/{id}`: the Managing Deployments page shows the object itself, the REST API Reference
 * shows it wrapped as `{total, data: […]}`. Both are read; an empty `data` is undefined (no such deployment).
 */
const SingleDeploymentSchema = schemas/* union */.KCZ([
    MmcDeploymentSchema,
    DeploymentListSchema.transform(data => data[0])
]);
/** One id or name, or several: a YAML list, or a comma-separated string. */
const list = schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* array */.YOg(schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]))])
    .transform(value => (Array.isArray(value) ? value.map(String) : value.split(',')).map(item => item.trim()).filter(Boolean))
    .optional();
/**
 * The console's documented request fields, under the console's names; `serverNames` and `applicationNames`
 * are accepted for `serversNames` and `applicationsNames`, which are easy to misspell. Every list takes ids
 * or names: names are resolved to ids before anything is sent (MMC 3.3.2 and later refuse names on create).
 */
const MuleParametersSchema = schemas/* strictObject */.rej({
    servers: list,
    serversNames: list,
    serverNames: list,
    /** Server groups by name or id, sent in `servers` ("List of server or server group IDs", deployments.adoc). */
    serverGroups: list,
    clusters: list,
    clusterNames: list,
    /** Applications as `name` or `name:version` (or version ids) from the repository. */
    applications: list,
    applicationsNames: list,
    applicationNames: list,
    /** The deployment's name on create; its new name on add (and remove). */
    name: schemas/* string */.YjP().trim().min(1, 'name must not be empty').optional(),
    /** create, add or remove, then deploy the result in the same step. */
    deploy: schemas/* boolean */.zMY().optional(),
    /** With `artifacts`: the application's name in the repository; default the archive's name. */
    application: schemas/* string */.YjP().trim().min(1, 'application must not be empty').optional(),
    /** With `artifacts`: the version to upload; default the commit (GITHUB_SHA, short) or the archive's version. */
    version: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]).transform(String).pipe(schemas/* string */.YjP().trim().min(1)).optional(),
    /** With `artifacts`: an existing version of that name is deleted from the repository and uploaded again. */
    replaceVersion: schemas/* boolean */.zMY().optional(),
    /** A deploy that ends DEPLOYED but not reconciled (some server not in step) succeeds with a warning. */
    allowPartial: schemas/* boolean */.zMY().optional()
});
/** `{total, data: […]}`, the envelope of every list the REST API Reference documents. */
const schemas_listOf = (item) => schemas/* object */.Ikc({ total: schemas/* number */.aig().optional(), data: schemas/* array */.YOg(item) })
    .loose()
    .transform(list => list.data);
/**
 * `GET /api/servers` (REST API Reference: Servers, servers.adoc, "LIST ALL"): `data[]` with `name`, `id`,
 * `status` ("OK, STOPPED"), `groups[]` of `{name, href}`. The Maven plugin
 * (pulsenintegration/Maven-Mule-REST-Plugin, MuleRest.restfullyGetServerId / restfullyGetServerIdsInGroup)
 * reads `data[].name`, `data[].id` and `data[].groups[].name`.
 */
const MmcServerSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP().min(1),
    name: schemas/* string */.YjP(),
    status: schemas/* string */.YjP().nullish(),
    groups: schemas/* array */.YOg(schemas/* object */.Ikc({ name: schemas/* string */.YjP().nullish(), href: schemas/* string */.YjP().nullish() }).loose()).nullish()
})
    .loose();
const ServerListSchema = schemas_listOf(MmcServerSchema);
/** `GET /api/serverGroups` (server-groups.adoc, "LIST ALL"): `data[]` with `name`, `id`, `serverCount`. */
const MmcServerGroupSchema = schemas/* object */.Ikc({ id: schemas/* string */.YjP().min(1), name: schemas/* string */.YjP(), serverCount: schemas/* number */.aig().nullish() })
    .loose();
const ServerGroupListSchema = schemas_listOf(MmcServerGroupSchema);
/** `GET /api/clusters` (clusters.adoc, "LIST ALL"): `data[]` with `name`, `id`, `nodeServerIds`, `clusterStatus`. */
const MmcClusterSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP().min(1),
    name: schemas/* string */.YjP(),
    nodeServerIds: schemas/* array */.YOg(schemas/* string */.YjP()).nullish(),
    clusterStatus: schemas/* string */.YjP().nullish()
})
    .loose();
const ClusterListSchema = schemas_listOf(MmcClusterSchema);
/**
 * `GET /api/repository` (repository-of-applications.adoc, "LIST ALL"): `data[]` applications with `name`, `id`
 * and `versions[]` of `{name, id}`; the Maven plugin (MuleRest.restfullyGetApplicationId) reads the same.
 */
const MmcApplicationSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP().min(1),
    name: schemas/* string */.YjP(),
    versions: schemas/* array */.YOg(schemas/* object */.Ikc({ id: schemas/* string */.YjP().min(1), name: schemas/* string */.YjP() }).loose()).nullish()
})
    .loose();
const RepositorySchema = schemas_listOf(MmcApplicationSchema);
/** `POST /api/repository` answers `{versionId, applicationId}` (repository-of-applications.adoc, "UPLOAD"). */
const UploadAnswerSchema = schemas/* object */.Ikc({ versionId: schemas/* string */.YjP().min(1), applicationId: schemas/* string */.YjP().nullish() })
    .loose();
/**
 * `GET /api/servers/{id}/applications` (servers.adoc, "LIST APPLICATIONS") and
 * `GET /api/clusters/{id}/applications` (clusters.adoc, "LIST ALL MULE APPS"): `data[]` of `{name, status}`,
 * status INITIALISED, STARTED, STOPPED or DISPOSED.
 */
const DeployedApplicationListSchema = schemas_listOf(schemas/* object */.Ikc({ name: schemas/* string */.YjP(), status: schemas/* string */.YjP().nullish() }).loose());

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/parameters.ts

const CHANGING_OPERATIONS = (/* unused pure expression or super */ null && (['create', 'add', 'remove']));
function parametersOf(deployment) {
    return MuleParametersSchema.parse(deployment.parameters);
}
function merged(...lists) {
    const all = lists.flatMap(list => list ?? []);
    return all.length ? [...new Set(all)] : undefined;
}
function requestLists(parameters) {
    const lists = {
        servers: parameters.servers,
        serversNames: merged(parameters.serversNames, parameters.serverNames),
        clusters: parameters.clusters,
        clusterNames: parameters.clusterNames,
        applications: parameters.applications,
        applicationsNames: merged(parameters.applicationsNames, parameters.applicationNames)
    };
    return Object.fromEntries(Object.entries(lists).filter(([, value]) => value && value.length));
}
/** The deployment name `create` sends: parameters.name, or target. */
function createName(deployment, parameters) {
    return parameters.name ?? deployment.target;
}
const LIST_KEYS = [
    'servers',
    'serversNames',
    'serverNames',
    'serverGroups',
    'clusters',
    'clusterNames',
    'applications',
    'applicationsNames',
    'applicationNames'
];
const UPLOAD_KEYS = ['application', 'version', 'replaceVersion'];
/** Which parameters each operation takes; `artifacts` adds the upload's (and, on deploy, create's lists). */
function allowedKeys(operation, withArtifacts) {
    const upload = withArtifacts ? UPLOAD_KEYS : [];
    switch (operation) {
        case 'create':
        case 'add':
            return [...LIST_KEYS, 'name', 'deploy', 'allowPartial', ...upload];
        case 'remove':
            return [...LIST_KEYS, 'name', 'deploy', 'allowPartial'];
        case 'deploy':
            return withArtifacts ? [...LIST_KEYS, 'allowPartial', ...upload] : ['allowPartial'];
        case 'redeploy':
        case 'status':
        case 'await':
            return ['allowPartial'];
        default:
            return [];
    }
}
/** Operations that take `artifacts`: the archive becomes a new version in the repository first. */
const UPLOADING_OPERATIONS = ['deploy', 'create', 'add'];
/** The console's own rule for create, and what add and remove need, checked before anything is sent. */
function parameters_parameterProblems(deployment) {
    const parsed = MuleParametersSchema.safeParse(deployment.parameters);
    if (!parsed.success)
        return [];
    const parameters = parsed.data;
    const { operation } = deployment;
    const lists = requestLists(parameters);
    const withArtifacts = deployment.artifacts.length > 0;
    const given = Object.keys(deployment.parameters);
    const problems = [];
    if (withArtifacts && !UPLOADING_OPERATIONS.includes(operation)) {
        problems.push({
            input: 'artifacts',
            value: deployment.artifacts.join(', '),
            problem: `apply only to operation: deploy, create or add (not ${operation}): the archive is uploaded as a new version`
        });
    }
    const allowed = allowedKeys(operation, withArtifacts);
    const refused = given.filter(key => !allowed.includes(key));
    if (refused.length) {
        problems.push({
            input: 'parameters',
            value: refused.join(', '),
            problem: allowed.length
                ? `do not apply to operation: ${operation}${withArtifacts ? ' with artifacts' : ''}; it takes ${allowed.join(', ')}`
                : `do not apply to operation: ${operation}, which takes no parameters`
        });
        return problems;
    }
    const hasTarget = Boolean(lists.servers || lists.serversNames || lists.clusters || lists.clusterNames || parameters.serverGroups);
    if (operation === 'create') {
        const name = createName(deployment, parameters);
        if (!name) {
            problems.push({
                input: 'target',
                problem: 'is required with operation: create: the new deployment’s name (or give parameters.name)'
            });
        }
        if (parameters.name && deployment.target && parameters.name !== deployment.target) {
            problems.push({
                input: 'parameters',
                value: `name: ${parameters.name}`,
                problem: `differs from target '${deployment.target}'; with operation: create give the name once`
            });
        }
        if (!hasTarget) {
            problems.push({
                input: 'parameters',
                problem: 'create needs at least one target: servers, serversNames (or serverNames), serverGroups, clusters or clusterNames'
            });
        }
        if (!lists.applications && !lists.applicationsNames && !withArtifacts) {
            problems.push({
                input: 'parameters',
                problem: 'create needs at least one application: applications or applicationsNames (or applicationNames), or artifacts to upload'
            });
        }
    }
    if ((operation === 'add' || operation === 'remove') &&
        Object.keys(lists).length === 0 &&
        !parameters.serverGroups &&
        !(operation === 'add' && withArtifacts)) {
        problems.push({
            input: 'parameters',
            problem: `${operation} needs at least one of servers, serversNames, serverGroups, clusters, clusterNames, applications, applicationsNames`
        });
    }
    return problems;
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/errors.ts

/**
 * Return codes of the REST API Reference: Deployments (github.com/mulesoft/docs-mule-management-console,
 * modules/ROOT/pages/deployments.adoc). Error bodies are not documented; the console names invalid ids in
 * its message, which is shown as it came.
 */
const HINTS = {
    400: 'The console refused the request: a missing field, or a policy that forbids this change. Check parameters.',
    401: 'Check username and password (HTTP Basic, an MMC user with rights on deployments). On create and add, ' +
        'MMC also answers 401 for an invalid deployment name.',
    402: 'An id in parameters is not valid: servers, clusters and applications take ids (local$…); use serversNames, clusterNames or applicationsNames for names.',
    404: 'No deployment with that id: deployments get a new id on add and remove. Give target as the deployment name, or the id the last step published.',
    405: 'The console does not accept this method here; base-url may point at something other than the console (it should end with its context path, e.g. /mmc).',
    409: 'A deployment with that name already exists; choose another name, or use add/remove on the existing one.',
    500: 'The console failed on its side; its log (mmc.log) says why. Some MMC endpoints answer 500 instead of 401 ' +
        'to wrong credentials, so check username and password too.'
};
/** The response if it is a success; otherwise an ActionError with the console's message and a hint. */
function errors_ensureOk(response, describe) {
    // 500 is not a passing fault here: some endpoints answer it to wrong credentials.
    return ensureOk(response, describe, {
        vendor: 'Mule Management Console',
        hints: HINTS,
        transientFrom: 502
    });
}
/**
 * Return codes of `POST /api/repository` and `DELETE /api/repository/{versionId}` (REST API Reference:
 * Repository, repository-of-applications.adoc): 409 name and version exist, 500 no valid file, 501 not a
 * zip file, 502 a policy error. None of them is a passing fault.
 */
const REPOSITORY_STYLE = {
    vendor: 'Mule Management Console',
    transientFrom: 600,
    hints: {
        ...HINTS,
        404: 'The repository has no such item (repository-of-applications.adoc: "Error registering the application: Item not found").',
        409: 'The repository already has that application name and version; give another parameters.version, or parameters.replaceVersion: true.',
        500: 'The console could not store the upload ("Specify a valid file to upload / Error while uploading application"); its log (mmc.log) says why.',
        501: 'The console takes only a Mule application archive (.zip) here.',
        502: 'A console policy refused the upload ("Policy error while uploading application").'
    }
};
function ensureRepositoryOk(response, describe) {
    return ensureOk(response, describe, REPOSITORY_STYLE);
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/names.ts

const LISTED = 20;
/** A name as the console and the workflow may each have typed it: NFC, so `Café` matches in either form. */
function sameName(a, b) {
    return a.normalize('NFC') === b.normalize('NFC');
}
/** Looser still: compatibility forms (full-width letters, ligatures) and letter case folded. */
function looselyEqual(a, b) {
    return a.normalize('NFKC').toLocaleLowerCase('und') === b.normalize('NFKC').toLocaleLowerCase('und');
}
function nearMissReason(wanted, found) {
    const compatible = wanted.normalize('NFKC') === found.normalize('NFKC');
    return compatible
        ? `'${found}' differs from '${wanted}' only in Unicode form (compatibility characters such as full-width letters or ligatures)`
        : `'${found}' differs from '${wanted}' only in letter case`;
}
function listed(lookup, items = lookup.items) {
    const show = lookup.show ?? ((item) => `${lookup.nameOf(item)} (${lookup.idOf(item)})`);
    const shown = items.slice(0, LISTED).map(show);
    const more = items.length > LISTED ? `, and ${items.length - LISTED} more` : '';
    return `${shown.join('; ')}${more}`;
}
/**
 * The one item whose id is `wanted`, or whose name is `wanted` after NFC normalization. None or several is an
 * ActionError listing what exists; a name that matches only when case or compatibility forms are ignored is
 * not taken, but the message says which name it nearly matched.
 */
function findOne(lookup, wanted) {
    const byId = lookup.items.find(item => lookup.idOf(item) === wanted);
    if (byId)
        return byId;
    const named = lookup.items.filter(item => sameName(lookup.nameOf(item), wanted));
    if (named.length === 1)
        return named[0];
    if (named.length > 1) {
        throw new ActionError(`${named.length} ${lookup.kind}s are named '${wanted}' (${lookup.source}): ${listed(lookup, named)}`, { hint: `Give the id of the ${lookup.kind} you mean.` });
    }
    const near = lookup.items.filter(item => looselyEqual(lookup.nameOf(item), wanted));
    const nearly = near.length
        ? ` ${near.map(item => nearMissReason(wanted, lookup.nameOf(item))).join('; ')}: names are compared exactly (after NFC normalization).`
        : '';
    const exists = lookup.items.length ? `It has: ${listed(lookup)}` : `There is no ${lookup.kind} at all.`;
    throw new ActionError(`No ${lookup.kind} is named '${wanted}' or has that id (${lookup.source}).${nearly} ${exists}`, lookup.hint ? { hint: lookup.hint } : {});
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/lookups.ts






const SERVERS = '/api/servers';
const SERVER_GROUPS = '/api/serverGroups';
const CLUSTERS = '/api/clusters';
const REPOSITORY = '/api/repository';
/**
 * The console's servers, server groups, clusters and repository, each read once per step (the repository
 * again after an upload changed it). The Maven plugin (pulsenintegration/Maven-Mule-REST-Plugin,
 * MuleRest.restfullyGetServerId, restfullyGetServerGroupId, restfullyGetApplicationId) resolves names the same
 * way: it lists `GET /api/servers`, `/api/serverGroups` or `/api/repository` and matches `data[].name`.
 */
class Directory {
    http;
    cache = new Map();
    constructor(http) {
        this.http = http;
    }
    list(path, schema) {
        let cached = this.cache.get(path);
        if (!cached) {
            cached = this.read(path, schema);
            this.cache.set(path, cached);
            cached.catch(() => this.cache.delete(path));
        }
        return cached;
    }
    async read(path, schema) {
        const request = { method: 'GET', path };
        const response = errors_ensureOk(await this.http.send(request), this.http.describe(request));
        return decode(schema, response.body, `Mule Management Console ${this.http.describe(request)}`);
    }
    servers() {
        return this.list(SERVERS, ServerListSchema);
    }
    serverGroups() {
        return this.list(SERVER_GROUPS, ServerGroupListSchema);
    }
    clusters() {
        return this.list(CLUSTERS, ClusterListSchema);
    }
    repository() {
        return this.list(REPOSITORY, RepositorySchema);
    }
    /** After an upload or a version deleted: the next repository() reads it again. */
    forgetRepository() {
        this.cache.delete(REPOSITORY);
    }
    /** `GET /api/servers/{id}/applications` or `/api/clusters/{id}/applications`: what runs there now. */
    deployedOn(kind, id) {
        const base = kind === 'server' ? SERVERS : CLUSTERS;
        return this.read(`${base}/${segment(id)}/applications`, DeployedApplicationListSchema);
    }
}
const serverLookup = (items) => ({
    kind: 'server',
    source: `GET ${SERVERS}`,
    items,
    nameOf: server => server.name,
    idOf: server => server.id
});
const groupLookup = (items) => ({
    kind: 'server group',
    source: `GET ${SERVER_GROUPS}`,
    items,
    nameOf: group => group.name,
    idOf: group => group.id
});
const clusterLookup = (items) => ({
    kind: 'cluster',
    source: `GET ${CLUSTERS}`,
    items,
    nameOf: cluster => cluster.name,
    idOf: cluster => cluster.id
});
const versionsText = (application) => (application.versions ?? []).map(version => version.name).join(', ') || 'no versions';
const applicationLookup = (items) => ({
    kind: 'application',
    source: `GET ${REPOSITORY}`,
    items,
    nameOf: application => application.name,
    idOf: application => application.id,
    show: application => `${application.name} (versions: ${versionsText(application)})`,
    hint: 'Applications are named as in the console’s repository; upload one with artifacts.'
});
const versionLookup = (application) => ({
    kind: `version of ${application.name}`,
    source: `GET ${REPOSITORY}`,
    items: application.versions ?? [],
    nameOf: version => version.name,
    idOf: version => version.id
});
/** The application a version id belongs to, from the repository listing. */
function applicationOfVersion(repository, versionId) {
    for (const application of repository) {
        const version = application.versions?.find(candidate => candidate.id === versionId);
        if (version)
            return { application, version };
    }
    return undefined;
}
/**
 * One application of `applications`: a version id, `name:version`, or a bare `name`. A bare name takes the
 * application's only version; within `among` (the versions a deployment holds, for remove) the ones held.
 * Several versions and no way to choose is an error listing them.
 */
function resolveApplication(repository, wanted, among) {
    if (applicationOfVersion(repository, wanted))
        return [wanted];
    const colon = wanted.lastIndexOf(':');
    const name = colon > 0 ? wanted.slice(0, colon) : wanted;
    const versionName = colon > 0 ? wanted.slice(colon + 1) : undefined;
    const application = findOne(applicationLookup(repository), name);
    if (versionName !== undefined)
        return [findOne(versionLookup(application), versionName).id];
    const versions = application.versions ?? [];
    if (among) {
        const held = versions.filter(version => among.includes(version.id)).map(version => version.id);
        if (held.length)
            return held;
    }
    if (versions.length === 1)
        return [versions[0].id];
    throw new ActionError(versions.length
        ? `Application ${application.name} has ${versions.length} versions in the repository (${versionsText(application)}); say which one as ${application.name}:<version>`
        : `Application ${application.name} has no version in the repository (GET ${REPOSITORY})`);
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/resolve.ts



const unique = (ids) => [...new Set(ids)];
/**
 * Every server, server group, cluster and application of `parameters`, by name or id, as ids. MMC 3.3.2 and
 * later refuse names on create ("You cannot create a deployment using the server names and application
 * names. Instead, use the server or version ID.", REST API Reference: Deployments, deployments.adoc; the
 * MMC 3.3 "Deployments" page says the same from 3.3.2), so names are never sent, to any console: ids work on
 * every version. Server groups go in `servers`, which deployments.adoc documents as "List of server or
 * server group IDs"; the Maven plugin (MuleRest.restfullyCreateDeployment) sends a group's id there too.
 * `among`: the version ids a deployment holds, so `remove` of a bare application name takes the ones held.
 */
async function resolveIds(parameters, directory, among) {
    const lists = requestLists(parameters);
    const result = {};
    const serverNames = [...(lists.servers ?? []), ...(lists.serversNames ?? [])];
    const groupNames = parameters.serverGroups ?? [];
    const servers = [];
    if (serverNames.length) {
        const lookup = serverLookup(await directory.servers());
        servers.push(...serverNames.map(name => findOne(lookup, name).id));
    }
    if (groupNames.length) {
        const lookup = groupLookup(await directory.serverGroups());
        servers.push(...groupNames.map(name => findOne(lookup, name).id));
    }
    if (servers.length)
        result.servers = unique(servers);
    const clusterNames = [...(lists.clusters ?? []), ...(lists.clusterNames ?? [])];
    if (clusterNames.length) {
        const lookup = clusterLookup(await directory.clusters());
        result.clusters = unique(clusterNames.map(name => findOne(lookup, name).id));
    }
    const applications = [...(lists.applications ?? []), ...(lists.applicationsNames ?? [])];
    if (applications.length) {
        const repository = await directory.repository();
        result.applications = unique(applications.flatMap(name => resolveApplication(repository, name, among)));
    }
    return result;
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/target.ts





async function listDeployments(http) {
    const request = { method: 'GET', path: DEPLOYMENTS };
    const response = errors_ensureOk(await http.send(request), http.describe(request));
    return decode(DeploymentListSchema, response.body, `Mule Management Console ${http.describe(request)}`);
}
/** The deployment with this id, or undefined when the console answers 404. */
async function readDeployment(http, id) {
    const request = { method: 'GET', path: deploymentPath(id) };
    const response = await http.send(request);
    if (response.status === 404)
        return undefined;
    errors_ensureOk(response, http.describe(request));
    return decode(SingleDeploymentSchema, response.body, `Mule Management Console ${http.describe(request)}`);
}
const deploymentLookup = (items) => ({
    kind: 'deployment',
    source: `GET ${DEPLOYMENTS}`,
    items,
    nameOf: deployment => deployment.name,
    idOf: deployment => deployment.id,
    show: deployment => `${deployment.name} (${deployment.id}, ${deployment.status})`,
    hint: 'Deployments get a new id on add and remove, so prefer the name; create one with operation: create.'
});
/** `target` as an id, or as a name (NFC-normalized) that exactly one deployment has. */
async function resolveTarget(http, target) {
    const deployments = await listDeployments(http);
    const lookup = deploymentLookup(deployments);
    const named = deployments.some(d => d.id === target || sameName(d.name, target));
    if (!named && target.includes('$')) {
        const direct = await readDeployment(http, target);
        if (direct)
            return direct;
    }
    return findOne(lookup, target);
}
/** The deployment named `name`, or undefined when none is (several is an error listing them). */
async function findDeployment(http, name) {
    const deployments = await listDeployments(http);
    if (!deployments.some(d => d.id === name || sameName(d.name, name)))
        return undefined;
    return findOne(deploymentLookup(deployments), name);
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/upload.ts










/**
 * The application name and version an archive's file name carries, by the Maven plugin's rule
 * (pulsenintegration/Maven-Mule-REST-Plugin, MuleFileInfo.parseFromFile): the extension dropped, the name
 * split at the first `-` followed by a digit: `orders-api-1.4.0.zip` → `orders-api`, `1.4.0`.
 */
function archiveInfo(fileName) {
    const base = fileName.replace(/\.[^.]*$/, '') || fileName;
    const match = /-\s*\d/.exec(base);
    if (!match)
        return { name: base };
    return { name: base.slice(0, match.index).trim(), version: base.slice(match.index + 1).trim() };
}
/** The short commit, as `git rev-parse --short` shows it by default. */
function shortSha() {
    const sha = process.env.GITHUB_SHA?.trim();
    return sha ? sha.slice(0, 7) : undefined;
}
/**
 * The archive (exactly one, inside the workspace: the same containment rules as MobileFirst's deployables)
 * and the name and version it is uploaded as, or the input problems that prevent it.
 */
function uploadPlan(deployment, parameters) {
    const { files, problems } = resolveArtifacts(workspaceDirectory(), deployment.artifacts);
    if (problems.length)
        return { problems };
    if (files.length !== 1) {
        return {
            problems: [
                {
                    input: 'artifacts',
                    value: deployment.artifacts.join(', '),
                    problem: `matches ${files.length} files (${files.map(file => file.relative).join(', ')}); mule-mmc uploads exactly one application archive`
                }
            ]
        };
    }
    const file = files[0];
    const info = archiveInfo(file.name);
    const version = parameters.version ?? shortSha() ?? info.version;
    if (!version) {
        return {
            problems: [
                {
                    input: 'parameters',
                    problem: `needs version: ${file.name} carries no version in its name and GITHUB_SHA is not set`
                }
            ]
        };
    }
    return {
        plan: {
            file,
            application: parameters.application ?? info.name,
            version,
            replace: parameters.replaceVersion ?? false
        },
        problems: []
    };
}
/**
 * An upload of a version the repository already has is refused by the console with 409 "Application name and
 * version already exists" (repository-of-applications.adoc, "UPLOAD"): it is found first and named. With
 * replaceVersion it is deleted (`DELETE /api/repository/{versionId}`, the same page, "DELETE"), the way the
 * Maven plugin replaces a SNAPSHOT (MuleRest.restfullyUploadRepository); the console may refuse that, e.g.
 * while a deployment holds the version, and its answer is shown.
 */
async function clearVersion(http, directory, plan, log) {
    const repository = await directory.repository();
    const application = repository.find(candidate => sameName(candidate.name, plan.application));
    const existing = application?.versions?.find(version => sameName(version.name, plan.version));
    if (!application || !existing)
        return;
    if (!plan.replace) {
        throw new ActionError(`The repository already has ${application.name} version ${existing.name} (${existing.id}); the console does not take a version twice`, {
            hint: 'Give another parameters.version, or parameters.replaceVersion: true to delete that version and upload it again.'
        });
    }
    const request = { method: 'DELETE', path: `${REPOSITORY}/${segment(existing.id)}` };
    const response = await http.send(request);
    if (response.status < 200 || response.status >= 300) {
        const reason = errorMessageOf(response.body, response.text.trim() || `HTTP ${response.status}`);
        throw new ActionError(`The console would not delete ${application.name} version ${existing.name} (${existing.id}) to replace it: HTTP ${response.status}: ${reason.slice(0, 300)}`, {
            httpStatus: response.status,
            hint: 'A version that a deployment holds may not be deletable; upload a new version instead.'
        });
    }
    log.info(`Deleted ${application.name} version ${existing.name} (${existing.id}) to upload it again`);
    directory.forgetRepository();
}
const megabytes = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
/**
 * `POST /api/repository`, multipart/form-data with `file` (a .zip), `name` and `version`
 * (repository-of-applications.adoc, "UPLOAD"; the same three parts as MuleRest.restfullyUploadRepository),
 * streamed from disk with an exact Content-Length; the answer is `{versionId, applicationId}`. The upload is
 * bounded by the step's deadline, not by the per-request timeout of a status read.
 */
async function uploadArchive(http, directory, plan, log) {
    await clearVersion(http, directory, plan, log);
    log.info(`Uploading ${plan.file.relative} (${megabytes(plan.file.size)}) to the repository as ${plan.application} version ${plan.version}`);
    const body = multipartBody([
        {
            field: 'file',
            filename: external_node_path_default().basename(plan.file.path),
            path: plan.file.path,
            size: plan.file.size,
            contentType: 'application/zip'
        },
        { field: 'name', value: plan.application },
        { field: 'version', value: plan.version }
    ]);
    const request = {
        method: 'POST',
        path: REPOSITORY,
        body: new ReplayableBody(body),
        headers: { 'content-type': body.contentType, 'content-length': String(body.length) },
        timeoutMs: Number.POSITIVE_INFINITY
    };
    const response = await http.send(request);
    if (response.status === 409) {
        throw new ActionError(`The repository already has ${plan.application} version ${plan.version} (the console answered 409)`, {
            hint: 'Give another parameters.version, or parameters.replaceVersion: true to replace it.'
        });
    }
    ensureRepositoryOk(response, http.describe(request));
    const answer = decode(UploadAnswerSchema, response.body, `Mule Management Console ${http.describe(request)}`);
    directory.forgetRepository();
    log.info(`Uploaded ${plan.application} version ${plan.version}: version id ${answer.versionId}`);
    return {
        versionId: answer.versionId,
        applicationId: answer.applicationId ?? undefined,
        application: plan.application,
        version: plan.version
    };
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/dry-run.ts







const describe = (found) => `deployment ${found.name} (${found.id}) is ${found.status}`;
function createChecks(deployment, http) {
    const name = createName(deployment, parametersOf(deployment)) ?? '';
    return runDryRunLookups([
        {
            check: 'name free',
            run: async () => {
                const deployments = await listDeployments(http);
                const taken = deployments.find(existing => existing.name === name);
                if (taken)
                    throw new ActionError(`A deployment named '${name}' already exists: ${describe(taken)}`);
                return `no deployment is named '${name}' yet (the console has ${deployments.length})`;
            }
        }
    ]);
}
/** Reads only: resolves the target (or, for create, proves the name is free) with the console's GETs. */
async function muleMmcDryRun(deployment, http) {
    const { operation, target, taskId } = deployment;
    if (operation === 'await') {
        return runDryRunLookups([
            {
                check: 'deployment found',
                run: async () => {
                    const found = await readDeployment(http, taskId ?? '');
                    if (!found)
                        throw new ActionError(`The console has no deployment with id ${taskId}`);
                    return describe(found);
                }
            }
        ]);
    }
    if (operation === 'deploy' && deployment.artifacts.length) {
        const parameters = parametersOf(deployment);
        const { plan } = uploadPlan(deployment, parameters);
        const name = target ?? plan?.application ?? '';
        return runDryRunLookups([
            {
                check: 'archive found',
                run: async () => plan
                    ? `${plan.file.relative} (${plan.file.size} bytes) would be uploaded as ${plan.application} version ${plan.version}`
                    : 'no archive'
            },
            {
                check: 'names resolved',
                run: async () => {
                    const ids = await resolveIds(parameters, new Directory(http));
                    return `servers: ${ids.servers?.join(', ') || 'none given'}; clusters: ${ids.clusters?.join(', ') || 'none given'}; applications: ${ids.applications?.join(', ') || 'none given'}`;
                }
            },
            {
                check: 'deployment found',
                run: async () => {
                    const found = await findDeployment(http, name);
                    return found
                        ? `${describe(found)}: the new version would be added to it and deployed`
                        : `no deployment is named '${name}': it would be created with the new version and deployed`;
                }
            }
        ]);
    }
    if (operation === 'create' || operation === 'add' || operation === 'remove') {
        // Reads only: every name is resolved the way the step would resolve it.
        const checks = await runDryRunLookups([
            {
                check: 'names resolved',
                run: async () => {
                    // remove takes a bare application name as the versions of it the deployment holds
                    const held = operation === 'remove'
                        ? ((await resolveTarget(http, target ?? '')).applications ?? [])
                        : undefined;
                    const ids = await resolveIds(parametersOf(deployment), new Directory(http), held);
                    return `${(ids.servers ?? []).length} server ids, ${(ids.clusters ?? []).length} cluster ids, ${(ids.applications ?? []).length} application version ids`;
                }
            }
        ]);
        if (operation === 'create')
            return [...checks, ...(await createChecks(deployment, http))];
        return [
            ...checks,
            ...(await runDryRunLookups([
                { check: 'target resolved', run: async () => describe(await resolveTarget(http, target ?? '')) }
            ]))
        ];
    }
    if (operation === 'status' && !target) {
        return runDryRunLookups([
            {
                check: 'deployments listed',
                run: async () => `the console has ${(await listDeployments(http)).length} deployments`
            }
        ]);
    }
    return runDryRunLookups([
        { check: 'target resolved', run: async () => describe(await resolveTarget(http, target ?? '')) }
    ]);
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/modified.ts
/**
 * `lastModified` as the console writes it: `%day, %dayNumber %month %year %hour:%minutes:%seconds[.%thousandths]
 * %timeZone` ("Mon, 5 Sep 2011 12:19:15 GMT-03:00" on the Managing Deployments page, "Thu, 18 Apr 2013
 * 13:54:09.443 ART" in deployments.adoc). Used only to order deployments for `operation: status` without a
 * target; undefined when the text has another form.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** ASSUMED: the few zone abbreviations a Java console prints by default; anything else counts as GMT. */
const ZONES = {
    GMT: 0,
    UTC: 0,
    ART: -180,
    BRT: -180,
    EST: -300,
    EDT: -240,
    CST: -360,
    CDT: -300,
    MST: -420,
    MDT: -360,
    PST: -480,
    PDT: -420,
    CET: 60,
    CEST: 120,
    BST: 60,
    IST: 330
};
function parseLastModified(text) {
    const match = /^\s*\w+,\s*(\d{1,2})\s+(\w{3})\w*\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?\s*(.*)$/.exec(text ?? '');
    if (!match)
        return undefined;
    const [, day, month, year, hour, minute, second, millis, zone] = match;
    const monthIndex = MONTHS.indexOf((month ?? '').toLowerCase());
    if (monthIndex < 0)
        return undefined;
    const offsetMatch = /^(?:GMT|UTC)\s*([+-])(\d{1,2}):?(\d{2})?$/i.exec(zone?.trim() ?? '');
    const offset = offsetMatch
        ? (offsetMatch[1] === '-' ? -1 : 1) * (Number(offsetMatch[2]) * 60 + Number(offsetMatch[3] ?? 0))
        : (ZONES[(zone ?? '').trim().toUpperCase()] ?? 0);
    const utc = Date.UTC(Number(year), monthIndex, Number(day), Number(hour), Number(minute), Number(second), Number((millis ?? '0').padEnd(3, '0')));
    return utc - offset * 60_000;
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/reconcile.ts


/**
 * A Mule application runs when its status is STARTED: the states of `GET /api/clusters/{id}/applications` are
 * INITIALISED, STARTED, STOPPED or DISPOSED (clusters.adoc, "LIST ALL MULE APPS"); `GET
 * /api/servers/{id}/applications` shows STARTED for a running one (servers.adoc, "LIST APPLICATIONS").
 */
const RUNNING = 'STARTED';
/** A server's status "e.g. OK, STOPPED" (servers.adoc, "LIST ALL"). */
const SERVER_UP = 'OK';
/**
 * ASSUMED: a server lists an application under its repository name, or as `name-version` (the archive's own
 * name, which Mule uses for an archive it deploys); the pages show `name` only ("mule-example-hello").
 */
function runsAs(deployed, application, version) {
    return (sameName(deployed, application) ||
        sameName(deployed, `${application}-${version}`) ||
        deployed.toLowerCase() === application.toLowerCase());
}
/** The servers behind the deployment's `servers` ids: a server group id stands for its members. */
async function targetServers(directory, deployment) {
    const ids = deployment.servers ?? [];
    if (ids.length === 0)
        return { servers: [], unknown: [] };
    const all = await directory.servers();
    const servers = new Map();
    const unknown = [];
    for (const id of ids) {
        const server = all.find(candidate => candidate.id === id);
        if (server) {
            servers.set(server.id, server);
            continue;
        }
        // A group: servers.adoc lists each server's groups as {name, href}, the href ending in the group's id.
        const groups = await directory.serverGroups();
        const group = groups.find(candidate => candidate.id === id);
        const members = all.filter(candidate => (candidate.groups ?? []).some(membership => membership.href?.endsWith(`/${id}`) ||
            (group !== undefined && membership.name != null && sameName(membership.name, group.name))));
        if (members.length === 0)
            unknown.push(group ? `server group ${group.name} has no servers` : id);
        for (const member of members)
            servers.set(member.id, member);
    }
    return { servers: [...servers.values()], unknown };
}
/**
 * What is out of step on the deployment's servers and clusters, in words: a server that is not OK, an
 * application of the deployment that a server does not list or does not run. Empty when all are in step.
 */
async function outOfStep(directory, deployment) {
    const repository = await directory.repository();
    const expected = (deployment.applications ?? []).map(id => {
        const found = applicationOfVersion(repository, id);
        return found
            ? {
                label: `${found.application.name} ${found.version.name}`,
                name: found.application.name,
                version: found.version.name
            }
            : { label: id, name: id, version: '' };
    });
    const problems = [];
    const check = (where, deployed) => {
        for (const application of expected) {
            const running = deployed.find(item => runsAs(item.name, application.name, application.version));
            if (!running)
                problems.push(`${application.label} is not deployed on ${where}`);
            else if ((running.status ?? RUNNING).toUpperCase() !== RUNNING)
                problems.push(`${application.label} is ${running.status} on ${where}`);
        }
    };
    const { servers, unknown } = await targetServers(directory, deployment);
    for (const id of unknown)
        problems.push(`target ${id} is not a server the console lists`);
    for (const server of servers) {
        const status = (server.status ?? SERVER_UP).toUpperCase();
        if (status !== SERVER_UP) {
            problems.push(`server ${server.name} is ${server.status}`);
            continue;
        }
        check(`server ${server.name}`, await directory.deployedOn('server', server.id));
    }
    const clusters = deployment.clusterIds ?? [];
    if (clusters.length) {
        const known = await directory.clusters();
        for (const id of clusters) {
            const cluster = known.find(candidate => candidate.id === id);
            check(`cluster ${cluster?.name ?? id}`, await directory.deployedOn('cluster', id));
        }
    }
    return problems;
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/status.ts
/**
 * Readings equal to the starting point after which a deploy or redeploy of an already DEPLOYED deployment
 * (or an undeploy of an UNDEPLOYED one) is taken as done, once the per-server state agrees. The Maven plugin
 * (pulsenintegration/Maven-Mule-REST-Plugin, plugin/Deploy.execute) takes the first reading after its POST
 * that is not IN_PROGRESS as the end; a console that finishes a redeploy without ever showing IN_PROGRESS (or
 * whose POST returns when done) therefore ends in seconds here, never by the step's timeout.
 */
const QUIET_READINGS = 3;
/** DEPLOYED but not reconciled this many readings in a row: the deploy has settled short of every server. */
const UNRECONCILED_READINGS = 3;
/** How soon the next reading comes while one of those counts runs (the poll loop keeps it in the deadline). */
const CONFIRM_READ_MS = 1000;
const DEPLOYED = new Set(['DEPLOYED', 'SUCCESSFUL']);
const LABELS = {
    DEPLOYED: 'deployed',
    SUCCESSFUL: 'successful',
    UNDEPLOYED: 'undeployed',
    IN_PROGRESS: 'in progress',
    FAILED: 'failed',
    DELETING: 'deleting'
};
const KNOWN_STATUSES = Object.keys(LABELS);
function status_labelOf(status) {
    return LABELS[status.toUpperCase()] ?? `unknown status '${status}'`;
}
function differsFromStart(deployment, start) {
    if (!start)
        return true;
    return (deployment.status.toUpperCase() !== start.status?.toUpperCase() ||
        (deployment.lastModified ?? undefined) !== start.lastModified);
}
const subjectOf = (deployment) => `Deployment ${deployment.name} (${deployment.id})`;
function baseOf(deployment) {
    return { code: deployment.status, label: status_labelOf(deployment.status), details: deployment };
}
/**
 * A DEPLOYED (or SUCCESSFUL) reading judged by every server: `reconciled: false` means "at least one server is
 * down and/or at least one app has not been deployed on at least one server" (deployments.adoc, the
 * `reconciled` key; deploying-applications.adoc, "Reconciled Deployments"). After UNRECONCILED_READINGS such
 * readings the deploy has settled short: failed, naming what the per-server state shows out of step, unless
 * allowPartial. `quietEnd`: the reading equals the starting point, so the per-server state must agree too.
 */
async function judgeDeployed(deployment, watch, inspect, quietEnd) {
    const base = baseOf(deployment);
    const subject = subjectOf(deployment);
    const status = deployment.status.toUpperCase();
    if (deployment.reconciled !== false && !quietEnd) {
        return { ...base, state: 'succeeded', message: `${subject} is ${status} and reconciled on every server` };
    }
    if (deployment.reconciled !== false) {
        const problems = await inspect(deployment);
        if (problems.length === 0) {
            return {
                ...base,
                state: 'succeeded',
                message: `${subject} is ${status}: the console never showed IN_PROGRESS, and every server runs every application`
            };
        }
    }
    watch.unreconciled = (watch.unreconciled ?? 0) + 1;
    if (watch.unreconciled < UNRECONCILED_READINGS) {
        return {
            ...base,
            state: 'running',
            label: `${status_labelOf(status)}, not reconciled yet`,
            nextReadInMs: CONFIRM_READ_MS
        };
    }
    const problems = await inspect(deployment);
    const named = problems.length
        ? problems.join('; ')
        : 'the console marks it not reconciled, but the servers’ application lists show nothing out of step';
    const message = `${subject} is ${status} but not on every server: ${named}`;
    if (watch.allowPartial) {
        return { ...base, state: 'succeeded', label: 'deployed, partially', message, warning: message };
    }
    return { ...base, state: 'failed', label: 'not reconciled', message };
}
/**
 * One reading of a deployment, mapped for the poll loop. A reading equal to the starting point counts as
 * "not started yet" and keeps the loop going, so a console that ignores a deploy ends in a timeout, never in
 * a success it did not earn; when the goal is already the starting point (a redeploy of a DEPLOYED
 * deployment) QUIET_READINGS such readings and the per-server state end it instead.
 */
async function mapDeployment(deployment, watch, inspect) {
    const status = deployment.status.toUpperCase();
    if (differsFromStart(deployment, watch.start))
        watch.left = true;
    const base = baseOf(deployment);
    const subject = subjectOf(deployment);
    if (status === 'IN_PROGRESS' || status === 'DELETING')
        watch.progressed = true;
    if (status === 'IN_PROGRESS')
        return { ...base, state: 'running' };
    if (status === 'DELETING') {
        return watch.expect === 'gone' || watch.expect === 'settled'
            ? { ...base, state: 'running' }
            : { ...base, state: 'failed', message: `${subject} is being deleted` };
    }
    if (watch.expect === 'changed') {
        if (status === 'FAILED')
            return { ...base, state: 'failed', message: `${subject} FAILED` };
        return { ...base, state: 'succeeded', message: `${subject} is ${status}` };
    }
    if (!watch.left) {
        const startStatus = watch.start?.status?.toUpperCase() ?? '';
        const goalAlready = (watch.expect === 'deployed' && DEPLOYED.has(startStatus)) ||
            (watch.expect === 'undeployed' && startStatus === 'UNDEPLOYED');
        watch.quiet = (watch.quiet ?? 0) + 1;
        if (goalAlready && watch.quiet >= QUIET_READINGS) {
            if (watch.expect === 'deployed')
                return judgeDeployed(deployment, watch, inspect, true);
            return {
                ...base,
                state: 'succeeded',
                message: `${subject} is UNDEPLOYED (it was before; the console showed no change)`
            };
        }
        return {
            ...base,
            state: 'running',
            label: `${status_labelOf(status)}, waiting for the console to start`,
            ...(goalAlready ? { nextReadInMs: CONFIRM_READ_MS } : {})
        };
    }
    if (status === 'FAILED')
        return { ...base, state: 'failed', message: `${subject} FAILED` };
    if (DEPLOYED.has(status) && (watch.expect === 'deployed' || watch.expect === 'settled')) {
        return judgeDeployed(deployment, watch, inspect, false);
    }
    if (status === 'UNDEPLOYED' && (watch.expect === 'undeployed' || watch.expect === 'settled')) {
        return { ...base, state: 'succeeded', message: `${subject} is UNDEPLOYED` };
    }
    if (watch.expect === 'gone' || !watch.progressed || !KNOWN_STATUSES.includes(status)) {
        return { ...base, state: 'running' };
    }
    return {
        ...base,
        state: 'failed',
        message: `${subject} ended ${status}, not ${watch.expect === 'deployed' ? 'DEPLOYED' : 'UNDEPLOYED'}`
    };
}
/**
 * `operation: status`: the deployment's own state, as the console reports it (THE RULE of the shared
 * contract): DEPLOYED or SUCCESSFUL → succeeded when reconciled (else failed, naming what is out of step,
 * unless allowPartial), UNDEPLOYED → succeeded, FAILED → failed, IN_PROGRESS or DELETING → running; the code
 * is the console's status.
 */
async function mapCurrent(deployment, inspect, allowPartial) {
    const status = deployment.status.toUpperCase();
    const base = baseOf(deployment);
    const subject = subjectOf(deployment);
    if (status === 'IN_PROGRESS' || status === 'DELETING') {
        return { ...base, state: 'running', message: `${subject} is ${status}` };
    }
    if (DEPLOYED.has(status)) {
        if (deployment.reconciled !== false) {
            return { ...base, state: 'succeeded', message: `${subject} is ${status} and reconciled` };
        }
        const watch = { expect: 'deployed', left: true, unreconciled: UNRECONCILED_READINGS, allowPartial };
        return judgeDeployed(deployment, watch, inspect, false);
    }
    if (status === 'UNDEPLOYED')
        return { ...base, state: 'succeeded', message: `${subject} is UNDEPLOYED` };
    if (status === 'FAILED')
        return { ...base, state: 'failed', message: `${subject} FAILED` };
    return { ...base, state: 'failed', message: `${subject} has a status this action does not know: ${status}` };
}
/** A 404 while watching: the end of a delete, the failure of anything else. */
function mapGone(id, watch) {
    if (watch.expect === 'gone' || watch.expect === 'settled') {
        return { state: 'succeeded', code: 'DELETED', label: 'deleted', message: `Deployment ${id} was deleted` };
    }
    return {
        state: 'failed',
        code: 'NOT_FOUND',
        label: 'not found',
        message: `Deployment ${id} disappeared from the console while it was being watched`
    };
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/driver.ts















const EXPECTED = {
    deploy: 'deployed',
    redeploy: 'deployed',
    undeploy: 'undeployed',
    delete: 'gone'
};
const isInProgress = (deployment) => deployment.status.toUpperCase() === 'IN_PROGRESS';
/**
 * No `url`: the console documents no address for a deployment's page. `href` is "Full link to the resource"
 * (deployments.adoc), the REST resource itself, which a person cannot open in the console.
 */
class MuleMmcDriver {
    context;
    watches = new Map();
    directory;
    constructor(context) {
        this.context = context;
        this.directory = new Directory(context.http);
    }
    get deployment() {
        return this.context.deployment;
    }
    get http() {
        return this.context.http;
    }
    get parameters() {
        return parametersOf(this.deployment);
    }
    dryRun() {
        return muleMmcDryRun(this.deployment, this.http);
    }
    async start(signal) {
        const { operation } = this.deployment;
        const uploads = this.deployment.artifacts.length > 0;
        switch (operation) {
            case 'status':
                return this.show();
            case 'create':
                return this.create(signal, uploads ? await this.upload() : undefined);
            case 'add':
            case 'remove':
                return this.change(operation, signal, operation === 'add' && uploads ? await this.upload() : undefined);
            case 'delete':
                return this.remove();
            case 'deploy':
                if (uploads)
                    return this.release(signal);
                return this.trigger('deploy', await this.target());
            case 'redeploy':
            case 'undeploy':
                return this.trigger(operation, await this.target());
            default:
                throw new ActionError(`operation ${operation} is not an operation of mule-mmc`);
        }
    }
    resume(taskId) {
        const context = { expect: 'settled', allowPartial: this.parameters.allowPartial };
        return { id: taskId, context: { ...context } };
    }
    async status(task) {
        const watch = this.watchOf(task);
        const deployment = await readDeployment(this.http, task.id);
        if (!deployment)
            return mapGone(task.id, watch);
        return mapDeployment(deployment, watch, this.inspect);
    }
    /** The per-server state, read fresh each time (a server may come back while the deploy settles). */
    inspect = deployment => outOfStep(new Directory(this.http), deployment);
    watchOf(task) {
        let watch = this.watches.get(task.id);
        if (!watch) {
            const context = (task.context ?? {});
            watch = {
                expect: context.expect ?? 'settled',
                start: context.start,
                left: false,
                allowPartial: context.allowPartial
            };
            this.watches.set(task.id, watch);
        }
        return watch;
    }
    async target() {
        return resolveTarget(this.http, this.deployment.target ?? '');
    }
    async upload() {
        const { plan, problems } = uploadPlan(this.deployment, this.parameters);
        if (!plan) {
            throw new ActionError(`The artifacts changed since the inputs were checked: ${problems.map(problem => `${problem.input} ${problem.value ? `'${problem.value}' ` : ''}${problem.problem}`).join('; ')}`);
        }
        return uploadArchive(this.http, this.directory, plan, this.context.log);
    }
    /**
     * POST …/deploy, …/redeploy or …/undeploy, then the deployment is watched to its end. The pages document
     * no body ("The specified deployments are redeployed."); the Maven plugin logs whatever text the console
     * answers (MuleRest.restfullyDeployDeploymentById). The answer is read as text and logged, never parsed:
     * a text answer is no failure by itself.
     */
    async trigger(action, deployment, prefix = '') {
        const request = {
            method: 'POST',
            path: deploymentPath(deployment.id, action),
            expect: 'text'
        };
        const response = await this.send(request);
        const answer = response.text.trim();
        if (answer)
            this.context.log.info(`The console answered ${action}: ${answer.slice(0, 300)}`);
        return {
            kind: 'task',
            task: this.taskFor(deployment, EXPECTED[action]),
            message: `${prefix}Mule Management Console accepted ${action} of deployment ${deployment.name} (${deployment.id})`
        };
    }
    async remove() {
        const deployment = await this.target();
        await this.send({ method: 'DELETE', path: deploymentPath(deployment.id), expect: 'text' });
        return {
            kind: 'task',
            task: this.taskFor(deployment, 'gone'),
            message: `Mule Management Console accepted the deletion of deployment ${deployment.name} (${deployment.id})`
        };
    }
    /** POST /api/deployments with ids only; with deploy: true (or artifacts on deploy) deployed in the same step. */
    async create(signal, uploaded, name) {
        const parameters = this.parameters;
        const ids = await resolveIds(parameters, this.directory);
        const applications = [...(uploaded ? [uploaded.versionId] : []), ...(ids.applications ?? [])];
        const deploymentName = name ?? createName(this.deployment, parameters) ?? '';
        if (!ids.servers && !ids.clusters) {
            throw new ActionError(`No deployment is named '${deploymentName}', and there is nothing to create it on: give parameters.serverGroups, servers or clusters`);
        }
        const json = { name: deploymentName, ...withoutEmpty({ ...ids, applications }) };
        const created = await this.sendForDeployment({ method: 'POST', path: DEPLOYMENTS, json });
        const what = `Created deployment ${created.name} with id ${created.id}`;
        this.context.log.info(what);
        if (parameters.deploy || name !== undefined) {
            return this.trigger('deploy', await this.settled(created, signal), `${what}; `);
        }
        return this.changed(created, what);
    }
    /**
     * PUT …/add or …/remove with the stored `lastModified`, which the REST API Reference marks required. The
     * console answers with the deployment under a NEW id, which is the one reported and followed.
     */
    async change(operation, signal, uploaded) {
        const parameters = this.parameters;
        const current = await this.target();
        const ids = await resolveIds(parameters, this.directory, operation === 'remove' ? (current.applications ?? []) : undefined);
        if (uploaded)
            ids.applications = [uploaded.versionId, ...(ids.applications ?? [])];
        const updated = await this.update(operation, current, ids, parameters.name);
        const what = `${operation === 'add' ? 'Added to' : 'Removed from'} deployment ${updated.name}; ` +
            `the console gave it a new id: ${current.id} → ${updated.id}`;
        this.context.log.info(what);
        if (parameters.deploy)
            return this.trigger('deploy', await this.settled(updated, signal), `${what}; `);
        return this.changed(updated, what);
    }
    async update(operation, current, ids, name) {
        const json = {
            ...withoutEmpty(ids),
            ...(name ? { name } : {}),
            ...(current.lastModified ? { lastModified: current.lastModified } : {})
        };
        const path = deploymentPath(current.id, operation);
        return operation === 'add'
            ? this.sendForDeployment({ method: 'PUT', path, json })
            : this.removeFrom(path, json);
    }
    /**
     * The one-step release (`operation: deploy` with `artifacts`), the flow of the Maven plugin
     * (plugin/Deploy.execute: upload, create, deploy, wait): the archive is uploaded as a new version; the
     * deployment `target` names (default: the application's name) is created with it when there is none, or
     * gets it added, the old versions of the same application removed; then it is deployed and followed.
     */
    async release(signal) {
        const uploaded = await this.upload();
        const name = this.deployment.target ?? uploaded.application;
        const existing = await findDeployment(this.http, name);
        if (!existing)
            return this.create(signal, uploaded, name);
        const ids = await resolveIds(this.parameters, this.directory);
        ids.applications = [uploaded.versionId, ...(ids.applications ?? [])];
        let current = await this.settled(await this.update('add', await this.settled(existing, signal), ids), signal);
        const steps = [
            `added ${uploaded.application} ${uploaded.version} to deployment ${current.name} (${existing.id} → ${current.id})`
        ];
        const repository = await this.directory.repository();
        const replaced = (current.applications ?? []).filter(id => {
            if (id === uploaded.versionId)
                return false;
            const found = applicationOfVersion(repository, id);
            return found !== undefined && sameName(found.application.name, uploaded.application);
        });
        if (replaced.length) {
            const before = current.id;
            current = await this.settled(await this.update('remove', current, { applications: replaced }), signal);
            const names = replaced.map(id => applicationOfVersion(repository, id)?.version.name ?? id);
            steps.push(`removed the replaced version${names.length === 1 ? '' : 's'} ${names.join(', ')} (${before} → ${current.id})`);
        }
        const what = `Uploaded and ${steps.join('; ')}`;
        this.context.log.info(what);
        return this.trigger('deploy', current, `${what}; `);
    }
    /**
     * A create, add or remove the console answered IN_PROGRESS is read again until it leaves it, before the
     * deploy that follows (ASSUMED: the pages show these answers UNDEPLOYED, but consoles were seen answering
     * IN_PROGRESS while they store the change; a deploy sent meanwhile could be refused or lost).
     */
    async settled(deployment, signal) {
        let current = deployment;
        while (isInProgress(current)) {
            await this.context.clock.sleep(CONFIRM_READ_MS, signal);
            const read = await readDeployment(this.http, current.id);
            if (!read)
                throw new ActionError(`Deployment ${current.name} (${current.id}) disappeared while the console stored a change`);
            current = read;
        }
        if (current.status.toUpperCase() === 'FAILED') {
            throw new ActionError(`Deployment ${current.name} (${current.id}) is FAILED after the change`);
        }
        return current;
    }
    /**
     * Remove is PUT: the REST API Reference: Deployments (docs-mule-management-console, deployments.adoc,
     * "UPDATE BY REMOVING") and the curl example of the Managing Deployments page send PUT. The Managing
     * Deployments page's table and heading say DELETE; a console that refuses PUT with 405 is asked again with
     * DELETE (a 405 changed nothing).
     */
    async removeFrom(path, json) {
        const put = { method: 'PUT', path, json };
        const response = await this.http.send(put);
        if (response.status !== 405)
            return this.deploymentOf(errors_ensureOk(response, this.http.describe(put)).body, put);
        this.context.log.info(`${this.http.describe(put)} answered 405; sending the remove as DELETE`);
        return this.sendForDeployment({ method: 'DELETE', path, json });
    }
    /**
     * `operation: status`: the deployment's own state (target given), or that of the most recently modified
     * deployment; `skipped` only when the console lists none. Nothing changes.
     */
    async show() {
        const allowPartial = this.parameters.allowPartial ?? false;
        if (this.deployment.target) {
            const deployment = await this.target();
            return {
                kind: 'final',
                task: { id: deployment.id },
                status: await mapCurrent(deployment, this.inspect, allowPartial)
            };
        }
        const deployments = await listDeployments(this.http);
        if (deployments.length === 0) {
            return {
                kind: 'final',
                status: {
                    state: 'skipped',
                    code: 'NONE',
                    label: 'no deployments',
                    message: 'The console has no deployments yet'
                }
            };
        }
        const latest = [...deployments].sort((a, b) => (parseLastModified(b.lastModified) ?? 0) - (parseLastModified(a.lastModified) ?? 0))[0];
        const status = await mapCurrent(latest, this.inspect, allowPartial);
        const listed = deployments.map(d => `${d.name} (${d.status})`).join(', ');
        return {
            kind: 'final',
            task: { id: latest.id },
            status: {
                ...status,
                message: `${status.message ?? ''} — the most recently modified of ${deployments.length}: ${listed}`,
                details: { latest, deployments }
            }
        };
    }
    changed(deployment, message) {
        if (isInProgress(deployment)) {
            return {
                kind: 'task',
                task: this.taskFor(deployment, 'changed'),
                message: `${message}; the console is storing it (IN_PROGRESS)`
            };
        }
        return {
            kind: 'final',
            task: { id: deployment.id },
            status: {
                state: 'succeeded',
                code: deployment.status,
                label: status_labelOf(deployment.status),
                message,
                details: deployment
            }
        };
    }
    taskFor(deployment, expect) {
        const context = {
            expect,
            start: { status: deployment.status, lastModified: deployment.lastModified ?? undefined },
            allowPartial: this.parameters.allowPartial
        };
        return { id: deployment.id, context: { ...context } };
    }
    async send(request) {
        return errors_ensureOk(await this.http.send(request), this.http.describe(request));
    }
    async sendForDeployment(request) {
        return this.deploymentOf((await this.send(request)).body, request);
    }
    deploymentOf(body, request) {
        const describe = `Mule Management Console ${this.http.describe(request)}`;
        const deployment = decode(SingleDeploymentSchema, body, describe);
        if (!deployment)
            throw new ActionError(`${describe} answered without the deployment`);
        return deployment;
    }
}
function withoutEmpty(lists) {
    return Object.fromEntries(Object.entries(lists).filter(([, value]) => Array.isArray(value) && value.length > 0));
}

;// CONCATENATED MODULE: ./src/drivers/mule-mmc/index.ts




/** Operations that act on an existing deployment named by target. */
const NEEDS_TARGET = ['deploy', 'redeploy', 'undeploy', 'add', 'remove', 'delete'];
const muleMmc = {
    platform: 'mule-mmc',
    title: 'Mule Management Console',
    operations: ['deploy', 'redeploy', 'undeploy', 'create', 'add', 'remove', 'delete', 'status'],
    defaultOperation: 'deploy',
    readOnlyOperations: ['status'],
    credentials: 'basic',
    parameters: MuleParametersSchema,
    // The REST API Reference: Deployments lists create, list, add, remove, delete, deploy, redeploy and
    // undeploy only (github.com/mulesoft/docs-mule-management-console, modules/ROOT/pages/deployments.adoc).
    noCancelReason: 'the Mule Management Console’s REST API has no call to stop a deployment in progress',
    validate(deployment) {
        const problems = [];
        const uploads = deployment.artifacts.length > 0 && UPLOADING_OPERATIONS.includes(deployment.operation);
        // deploy with artifacts names its deployment after the application by default, as the Maven plugin does.
        const targetOptional = uploads && deployment.operation === 'deploy';
        if (NEEDS_TARGET.includes(deployment.operation) && !deployment.target && !targetOptional) {
            problems.push({
                input: 'target',
                problem: `is required for mule-mmc ${deployment.operation}: a deployment name, or its id (local$…)`
            });
        }
        problems.push(...parameters_parameterProblems(deployment));
        if (uploads && problems.length === 0 && MuleParametersSchema.safeParse(deployment.parameters).success)
            problems.push(...uploadPlan(deployment, parametersOf(deployment)).problems);
        return problems;
    },
    create: context => new MuleMmcDriver(context)
};

;// CONCATENATED MODULE: ./src/drivers/mobilefirst/errors.ts


/**
 * IBM documents the error codes of the administration service but not their bodies. Read what is there:
 * a JSON or XML object with a message field (errorMsg, message, error, details, errors[].details), or a
 * text or HTML page from the application server in front of it.
 */
function serviceMessage(body, fallback) {
    if (body && typeof body === 'object' && !Array.isArray(body)) {
        const record = body;
        const names = Object.keys(record).filter(name => !name.startsWith('?'));
        // An XML document is one root element: look inside it.
        const inner = names.length === 1 ? record[names[0]] : undefined;
        for (const candidate of [record, inner]) {
            if (!candidate || typeof candidate !== 'object')
                continue;
            const fields = candidate;
            for (const key of ['errorMsg', 'errorMessage', 'details']) {
                const value = fields[key];
                if (typeof value === 'string' && value.trim())
                    return value.trim();
            }
            const errors = Array.isArray(fields.errors) ? fields.errors : [];
            const details = errors
                .map(error => error?.details)
                .filter((detail) => typeof detail === 'string' && detail.trim() !== '');
            if (details.length)
                return details.join('; ');
        }
        return errorMessageOf(body, fallback);
    }
    if (typeof body === 'string' && /<html|<!doctype/i.test(body)) {
        const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
        const text = body
            .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
            .replace(/<[^>]+>/g, ' ')
            .replace(/\s+/g, ' ')
            .trim();
        return (text || title || fallback).slice(0, 300);
    }
    return errorMessageOf(body, fallback);
}
/** Hints for the codes IBM's "Deploy (POST)" and "Transaction (GET)" pages document, and for 401. */
function hintFor(status, runtime, reading) {
    switch (status) {
        case 400:
            return 'MobileFirst found no deployable in the upload. Check that artifacts names deployables: adapters (.adapter), application descriptors (application-descriptor.json), or an export (.zip).';
        case 401:
            return 'The user name or password was refused. Check the username and password inputs: a user of the MobileFirst Server administration service.';
        case 403:
            return reading
                ? 'This user may not read transactions: it needs one of the roles mfpadmin, mfpdeployer, mfpoperator or mfpmonitor.'
                : 'Only users in the mfpadmin or mfpdeployer role may deploy (mfpoperator and mfpmonitor may only read). Map this user to one of those roles in the application server’s security configuration.';
        case 404:
            return reading
                ? `MobileFirst knows no such transaction in runtime ${runtime}, or the runtime is not running. Check task-id and target.`
                : `Runtime ${runtime} was not found or is not running. Check target: the runtime's context root without the leading slash (e.g. mfp), and that the runtime is started. base-url must end with the administration service's context root, e.g. https://host/mfpadmin.`;
        case 500:
            return reading
                ? 'MobileFirst Server failed internally while the transaction was read; its messages.log has the cause.'
                : 'MobileFirst Server failed internally; its messages.log has the cause. The upload was not sent again, so it is safe to re-run the step once the server is fixed.';
        default:
            return undefined;
    }
}
function refusal(describe, status, body, runtime, reading) {
    const message = serviceMessage(body, `HTTP ${status}`);
    return new ActionError(`MobileFirst refused ${describe}: HTTP ${status}: ${message}`, {
        httpStatus: status,
        hint: hintFor(status, runtime, reading),
        transient: reading && (status === 429 || status >= 500)
    });
}

;// CONCATENATED MODULE: ./src/drivers/mobilefirst/kinds.ts


/**
 * The endpoint IBM documents for each kind (MobileFirst Foundation 8.0 administration REST API,
 * https://mobilefirstplatform.ibmcloud.com/api-ref/rest-admin-api-docs/html/refrest-admin-service-api-docs/html/):
 * - `.adapter` → Adapter (POST) `…/runtimes/{runtime}/adapters`, multipart/form-data (r_restapi_adapter_post;
 *   the 8.0 `mfpadm deploy adapter mfp MyAdapter.adapter` command "is based on the Adapter (POST) REST service",
 *   r_wladm_program_adapter_commands). The multipart field name is ASSUMED `file`, as for deploy/multi.
 * - `.json` (an application descriptor, `application-descriptor.json`) → Application (POST)
 *   `…/runtimes/{runtime}/applications`, which consumes application/json: the descriptor itself is the body
 *   (r_restapi_application_post).
 * - anything else (an export archive `.zip`) → Deploy (POST) `…/runtimes/{runtime}/deploy/multi`,
 *   multipart/form-data (r_restapi_deploy_post; IBM's example `curl -X POST -u admin:admin -F
 *   file=@./export.zip …/runtimes/mfp/deploy/multi`). One archive per request: posting several raw files to
 *   deploy/multi is shown nowhere.
 * Every one of them takes `async` and `locale` and answers `{ok, productVersion, transaction}`.
 */
function planDeploy(artifact) {
    const name = artifact.name.toLowerCase();
    if (name.endsWith('.adapter')) {
        return { kind: 'adapter', path: '/adapters', body: filePart(artifact) };
    }
    if (name.endsWith('.json')) {
        return { kind: 'application', path: '/applications', body: jsonFile(artifact) };
    }
    return { kind: 'archive', path: '/deploy/multi', body: filePart(artifact) };
}
function filePart(artifact) {
    return multipartBody([{ field: 'file', filename: artifact.name, path: artifact.path, size: artifact.size }]);
}
/** The descriptor streamed from disk as the request body. */
function jsonFile(artifact) {
    return {
        contentType: 'application/json',
        length: artifact.size,
        open: () => (0,external_node_fs_.createReadStream)(artifact.path)
    };
}

;// CONCATENATED MODULE: ./src/drivers/mobilefirst/schemas.ts

/** Ids are numbers in JSON and strings in XML. */
const schemas_stringish = schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]).transform(value => String(value));
/** `true`/`false` in JSON, "true"/"false" in XML. */
const booleanish = schemas/* union */.KCZ([schemas/* boolean */.zMY(), schemas/* enum */.k5n(['true', 'false']).transform(value => value === 'true')]);
/** The deployable: name and type, the file name, and the names inside a multi-artifact upload. */
const DescriptionSchema = schemas/* object */.Ikc({
    name: schemas/* string */.YjP().optional(),
    type: schemas/* string */.YjP().optional(),
    filename: schemas/* string */.YjP().optional(),
    contentNames: schemas/* array */.YOg(schemas/* string */.YjP()).optional()
})
    .loose();
/**
 * A transaction, as "Transaction (GET)" answers it and as the `transaction` of "Deploy (POST)" holds it
 * (https://mobilefirstplatform.ibmcloud.com/api-ref/rest-admin-api-docs/html/refrest-admin-service-api-docs/html/r_restapi_transaction_get.html).
 */
const TransactionSchema = schemas/* object */.Ikc({
    id: schemas_stringish,
    status: schemas/* string */.YjP(),
    type: schemas/* string */.YjP().optional(),
    appServerId: schemas/* string */.YjP().optional(),
    userName: schemas/* string */.YjP().optional(),
    timeCreated: schemas/* string */.YjP().optional(),
    timeUpdated: schemas/* string */.YjP().optional(),
    productVersion: schemas/* string */.YjP().optional(),
    project: schemas/* object */.Ikc({ name: schemas/* string */.YjP().optional() }).loose().optional(),
    description: DescriptionSchema.optional(),
    errors: schemas/* array */.YOg(schemas/* object */.Ikc({ details: schemas/* string */.YjP().optional() }).loose())
        .nullish()
        .transform(errors => errors ?? [])
})
    .loose();
/** `POST …/deploy/multi` → `{ok, productVersion, transaction}` (IBM's "Deploy (POST)" page). */
const DeployResultSchema = schemas/* object */.Ikc({
    ok: booleanish.optional(),
    productVersion: schemas/* string */.YjP().optional(),
    transaction: TransactionSchema
})
    .loose();
const MobileFirstParametersSchema = schemas/* strictObject */.rej({
    /** The locale of the service's error messages, e.g. de_DE. */
    locale: schemas/* string */.YjP()
        .trim()
        .regex(/^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$/, 'locale must look like en, de_DE or pt-BR')
        .optional(),
    /** async=false: the service answers when the transaction has ended. */
    synchronous: schemas/* boolean */.zMY('synchronous must be true or false').optional()
});

;// CONCATENATED MODULE: ./src/drivers/mobilefirst/status.ts
/**
 * Transaction states ("Deploy (POST)" page): synchronous transactions end SUCCESS or FAILURE; asynchronous
 * ones pass through PENDING, PREPARING, COMMITTING or REJECTING (rolling back) first.
 */
const STATES = {
    PENDING: { state: 'running', label: 'pending' },
    PREPARING: { state: 'running', label: 'preparing' },
    COMMITTING: { state: 'running', label: 'committing' },
    REJECTING: { state: 'running', label: 'rolling back' },
    SUCCESS: { state: 'succeeded', label: 'succeeded' },
    FAILURE: { state: 'failed', label: 'failed' },
    CANCELED: { state: 'canceled', label: 'canceled' }
};
function isKnownState(status) {
    return status.trim().toUpperCase() in STATES;
}
/** What the transaction deployed, in words: the artifacts' names when the service lists them. */
function deployedNames(transaction) {
    const description = transaction.description;
    const names = description?.contentNames?.length
        ? description.contentNames
        : [description?.filename ?? description?.name].filter((name) => Boolean(name));
    return names.length ? names.join(', ') : undefined;
}
function messageOf(transaction, state) {
    const id = transaction.id;
    const project = transaction.project?.name;
    const where = project ? ` to runtime ${project}` : '';
    const what = deployedNames(transaction);
    if (state === 'succeeded')
        return `Transaction ${id} deployed ${what ?? 'the deployables'}${where}`;
    if (state === 'canceled')
        return `Transaction ${id} was canceled${what ? ` (${what})` : ''}`;
    if (state === 'failed') {
        const details = transaction.errors
            .map(error => error.details?.trim())
            .filter((detail) => Boolean(detail));
        if (details.length === 0)
            return `Transaction ${id} failed; MobileFirst gave no error details`;
        if (details.length === 1)
            return `Transaction ${id} failed: ${details[0]}`;
        return `Transaction ${id} failed with ${details.length} errors: ${details.map((detail, index) => `(${index + 1}) ${detail}`).join('; ')}`;
    }
    return `Transaction ${id}: deploying ${what ?? 'the deployables'}${where}`;
}
function mapTransaction(transaction) {
    const code = transaction.status.trim().toUpperCase();
    const known = STATES[code];
    const state = known?.state ?? 'running';
    return {
        state,
        code: transaction.status,
        label: known?.label ?? `unknown status '${transaction.status}'`,
        message: messageOf(transaction, state),
        details: transaction
    };
}
/**
 * Several transactions (one per deployable) read as one job: running while any runs; then failed if any
 * failed, canceled if any was canceled, succeeded when all succeeded. One transaction reads as itself.
 */
function combineStatuses(statuses) {
    const [only] = statuses;
    if (statuses.length === 1 && only)
        return only;
    const running = statuses.filter(status => status.state === 'running');
    const failed = statuses.filter(status => status.state === 'failed');
    const canceled = statuses.filter(status => status.state === 'canceled');
    const state = running.length
        ? 'running'
        : failed.length
            ? 'failed'
            : canceled.length
                ? 'canceled'
                : 'succeeded';
    const shown = running.length ? running : failed.length ? failed : canceled.length ? canceled : statuses;
    const warnings = statuses.map(status => status.warning).filter(Boolean);
    return {
        state,
        code: statuses.map(status => status.code).join(','),
        label: `${statuses.length - running.length} of ${statuses.length} ended${failed.length ? `, ${failed.length} failed` : ''}`,
        message: shown
            .map(status => status.message)
            .filter(Boolean)
            .join('; '),
        warning: warnings.length ? warnings.join('; ') : undefined,
        details: statuses.map(status => status.details)
    };
}

;// CONCATENATED MODULE: ./src/drivers/mobilefirst/xml.ts
/**
 * The administration service answers XML when asked (or when a proxy or an old server prefers it). The
 * shared client parses it with attributes as plain keys and every value a string; this turns that into the
 * JSON shape of the same answer, so one schema reads both. Sources: the XML examples of IBM's "Deploy
 * (POST)" and "Transaction (GET)" pages:
 *   <deploy-result ok="false" productVersion="8.0"><transaction id="1" status="FAILURE" …>
 *     <description name="myname" type="mytype"/><errors><error details="…"/>…</errors>
 *     <project name="myproject"/></transaction></deploy-result>
 *   <transaction id="1" status="FAILURE" …><description/><errors>…</errors><project name="…"/></transaction>
 */
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function asArray(value) {
    if (value === undefined || value === null || value === '')
        return [];
    return Array.isArray(value) ? value : [value];
}
/** The document's single root element, without the `<?xml …?>` declaration. */
function rootOf(document) {
    const names = Object.keys(document).filter(name => !name.startsWith('?'));
    if (names.length !== 1)
        return undefined;
    const name = names[0];
    return { name, value: document[name] };
}
/** An element with no attributes and no children comes back as ''. */
function xml_element(value) {
    return isRecord(value) ? value : {};
}
/**
 * `contentNames` is a list of strings; its XML form is not shown on the page. Accept repeated elements
 * (`<contentNames>a</contentNames><contentNames>b</contentNames>`, JAXB's default), a wrapper
 * (`<contentNames><contentName>a</contentName>…`) and a comma-joined attribute.
 */
function contentNames(value) {
    if (value === undefined)
        return undefined;
    const names = asArray(value).flatMap(item => {
        if (typeof item === 'string')
            return item.split(',');
        if (isRecord(item))
            return asArray(item.contentName ?? item['#text']).map(String);
        return [];
    });
    return names.map(name => name.trim()).filter(Boolean);
}
function description(value) {
    const result = { ...xml_element(value) };
    const names = contentNames(result.contentNames);
    if (names)
        result.contentNames = names;
    return result;
}
function transactionFromXml(value) {
    const transaction = { ...xml_element(value) };
    const errors = xml_element(transaction.errors);
    transaction.errors = asArray(errors.error).map(error => xml_element(error));
    transaction.description = description(transaction.description);
    transaction.project = xml_element(transaction.project);
    return transaction;
}
/** The deploy answer or a transaction read as XML, in its JSON shape; anything else is left as it came. */
function normalizeXml(parsed) {
    const document = parsed;
    if (!isRecord(document))
        return document;
    const root = rootOf(document);
    if (!root)
        return document;
    if (root.name === 'transaction')
        return transactionFromXml(root.value);
    const result = { ...xml_element(root.value) };
    if ('transaction' in result)
        result.transaction = transactionFromXml(result.transaction);
    return result;
}
/** Whether a body parsed by the client came from XML: the raw text is the only reliable witness. */
function looksLikeXml(text) {
    return text.trimStart().startsWith('<');
}

;// CONCATENATED MODULE: ./src/drivers/mobilefirst/lock.ts






/**
 * Runtime Lock (GET) `…/runtimes/{runtime}/lock` answers only `{"busy": true}` (XML `<lock busy="true"/>`):
 * "Transactions are performed sequentially … each transaction … takes the runtime lock. The next transaction
 * waits until the lock is released" (r_restapi_runtime_lock_get). It does not say who holds it; the holder is
 * found in the runtime's transactions. Runtime Lock (DELETE) forces the release and "may corrupt the system":
 * this action never calls it.
 */
const LockSchema = schemas/* object */.Ikc({ busy: schemas/* union */.KCZ([schemas/* boolean */.zMY(), schemas/* enum */.k5n(['true', 'false']).transform(value => value === 'true')]) })
    .loose();
/**
 * Transactions (GET) `…/runtimes/{runtime}/transactions?orderBy=-created&pageSize=…` → `{items: [transaction…],
 * …paging}` (r_restapi_transactions_get; XML: a root element of `<transaction>` items, ASSUMED).
 */
const TransactionListSchema = schemas/* object */.Ikc({ items: schemas/* array */.YOg(TransactionSchema).nullish() }).loose();
/** States in which a transaction holds the runtime lock (ASSUMED: it has left PENDING and not yet ended). */
const HOLDING = new Set(['PREPARING', 'COMMITTING', 'REJECTING']);
const ENDED = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);
class RuntimeLock {
    http;
    runtimePath;
    runtime;
    locale;
    constructor(http, runtimePath, runtime, locale) {
        this.http = http;
        this.runtimePath = runtimePath;
        this.runtime = runtime;
        this.locale = locale;
    }
    async busy() {
        const body = await this.get('/lock', {});
        const record = (body ?? {});
        const lock = 'lock' in record && Object.keys(record).length <= 2 ? record.lock : record;
        return decode(LockSchema, lock, 'MobileFirst runtime lock').busy;
    }
    /** The newest transactions first (IBM's `orderBy` sort modes: `-created` is newest first). */
    async latest(pageSize) {
        const body = await this.get('/transactions', { orderBy: '-created', pageSize });
        return decode(TransactionListSchema, fromXmlList(body), 'MobileFirst transactions').items ?? [];
    }
    /** Whether the runtime is locked, and by which transaction other than `mine`. */
    async read(mine = []) {
        if (!(await this.busy()))
            return { busy: false, inFlight: [] };
        const recent = (await this.latest(50)).filter(item => !mine.includes(item.id));
        const inFlight = recent.filter(item => !ENDED.has(item.status.toUpperCase()));
        const holding = inFlight.filter(item => HOLDING.has(item.status.toUpperCase()));
        // The oldest in flight holds it when none says so by its state: the lock is taken in order.
        const holder = holding.at(-1) ?? inFlight.at(-1);
        return { busy: true, holder, inFlight };
    }
    async get(suffix, query) {
        const request = {
            method: 'GET',
            path: `${this.runtimePath}${suffix}`,
            query: { ...query, locale: this.locale }
        };
        const response = await this.http.send(request);
        if (response.status < 200 || response.status >= 300) {
            throw refusal(this.http.describe(request), response.status, response.body, this.runtime, true);
        }
        return response.body;
    }
}
/** `transaction 1001 (UPLOAD_ADAPTER of slow.adapter by admin, PREPARING since 2026-05-01T08:00:00.000Z)`. */
function describeHolder(holder) {
    if (!holder)
        return 'a transaction this user cannot see';
    const what = deployedNames(holder);
    const type = holder.type ? `${holder.type}${what ? ` of ${what}` : ''}` : (what ?? 'a deployable');
    const who = holder.userName ? ` by ${holder.userName}` : '';
    const since = holder.timeUpdated ?? holder.timeCreated;
    return `transaction ${holder.id} (${type}${who}, ${holder.status}${since ? ` since ${since}` : ''})`;
}
function fromXmlList(body) {
    if (!body || typeof body !== 'object' || Array.isArray(body))
        return body;
    const record = body;
    const names = Object.keys(record).filter(name => !name.startsWith('?'));
    if ('items' in record || names.length !== 1)
        return body;
    const root = record[names[0]];
    const items = root?.transaction ?? root?.items;
    if (items === undefined)
        return { items: [] };
    return { items: [items].flat().map(item => transactionFromXml(item)) };
}

;// CONCATENATED MODULE: ./src/drivers/mobilefirst/driver.ts












const mobilefirst_driver_API = '/management-apis/2.0/runtimes';
/** The deploy answer is one small document; anything bigger is not the administration service. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
function driver_megabytes(bytes) {
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
class MobileFirstDriver {
    context;
    warnedStates = new Set();
    /** Transactions that have ended: not read again. */
    ended = new Map();
    /** The lock holder last written to the log, so a long wait says it once. */
    lastHolder;
    lockReadFailed = false;
    constructor(context) {
        this.context = context;
    }
    get deployment() {
        return this.context.deployment;
    }
    get runtime() {
        return this.deployment.target ?? '';
    }
    get parameters() {
        return MobileFirstParametersSchema.parse(this.deployment.parameters);
    }
    runtimePath() {
        return `${mobilefirst_driver_API}/${encodeURIComponent(this.runtime)}`;
    }
    get lock() {
        return new RuntimeLock(this.context.http, this.runtimePath(), this.runtime, this.parameters.locale);
    }
    async start(signal) {
        if (this.deployment.operation === 'status')
            return { kind: 'final', status: await this.latestStatus() };
        const files = this.artifacts();
        const earlier = await this.checkBusy(files);
        if (earlier)
            return earlier;
        const total = files.reduce((sum, file) => sum + file.size, 0);
        this.context.log.info(`Uploading ${files.length} deployable${files.length === 1 ? '' : 's'} (${driver_megabytes(total)}) to runtime ${this.runtime}: ${files.map(file => file.relative).join(', ')}`);
        const ids = [];
        const statuses = [];
        for (const file of files) {
            const transaction = await this.upload(file, signal);
            const status = this.read(transaction);
            ids.push(transaction.id);
            statuses.push(status);
            if (status.state !== 'running')
                this.ended.set(transaction.id, status);
            // Synchronous: a deployable that did not succeed stops the ones after it.
            if (status.state !== 'running' && status.state !== 'succeeded')
                break;
        }
        const task = { id: ids.join(','), context: { ids } };
        const combined = combineStatuses(statuses);
        if (combined.state !== 'running')
            return { kind: 'final', status: combined, task };
        return {
            kind: 'task',
            task,
            message: `MobileFirst accepted ${ids.length === 1 ? `the upload as transaction ${ids[0]}` : `the uploads as transactions ${ids.join(', ')}`} (${statuses.map(status => status.code).join(', ')})`
        };
    }
    /**
     * One deployable to the endpoint IBM documents for its kind (see kinds.ts), `async=true` unless
     * `synchronous`. stream(), not send(): an upload (and a synchronous deployment) may outlast the
     * per-request timeout of a status read; it stays bounded by the step's deadline and by an idle socket.
     */
    async upload(file, signal) {
        const plan = planDeploy(file);
        const { locale, synchronous } = this.parameters;
        const request = {
            method: 'POST',
            path: `${this.runtimePath()}${plan.path}`,
            query: { async: synchronous ? 'false' : 'true', locale },
            body: new ReplayableBody(plan.body),
            headers: { 'content-type': plan.body.contentType, 'content-length': String(plan.body.length) }
        };
        const opened = await this.context.http.stream(request);
        const text = await readAnswer(opened.stream, signal);
        const describe = this.context.http.describe(request);
        const contentType = String(opened.headers['content-type'] ?? '');
        if (opened.status < 200 || opened.status >= 300) {
            const body = parseErrorBody(text, contentType);
            throw refusal(describe, opened.status, body, this.runtime, false);
        }
        const parsed = parseBody(text, contentType, 'json', describe, opened.status);
        const result = decode(DeployResultSchema, looksLikeXml(text) ? normalizeXml(parsed) : parsed, `MobileFirst ${plan.path.slice(1)} (${plan.kind} ${file.name})`);
        return result.transaction;
    }
    /**
     * if-busy, at trigger time, from the runtime lock (IBM: transactions on a runtime run one at a time; the
     * next waits until the lock is released, at most 30 minutes after a crash). `fail` (default): a locked
     * runtime ends the step before anything is uploaded, naming the holder. `await`: when the transactions in
     * flight deploy exactly these deployables (the same deployment, started earlier), follow them instead of
     * uploading again; otherwise upload, and MobileFirst queues the transaction PENDING until the lock is free.
     */
    async checkBusy(files) {
        let reading;
        try {
            reading = await this.lock.read();
        }
        catch (error) {
            // No lock API (404): the upload's own answer says what is wrong with the runtime.
            if (toActionError(error).httpStatus === 404)
                return undefined;
            throw error;
        }
        if (!reading.busy)
            return undefined;
        const { inFlight } = reading;
        const holder = describeHolder(reading.holder);
        if (this.deployment.ifBusy !== 'await') {
            throw new ActionError(`Runtime ${this.runtime} is busy: ${holder} holds its transaction lock. Nothing was uploaded (if-busy: fail).`, {
                hint: 'Run the step again once that transaction has ended, or set if-busy: await to follow it (the same deployables) or queue behind it. The lock is released when the transaction ends, or after 30 minutes if it crashed.'
            });
        }
        const names = new Set(files.map(file => file.name));
        const same = inFlight.filter(item => (deployedNames(item) ?? '').split(', ').every(name => names.has(name)));
        const covered = new Set(same.flatMap(item => (deployedNames(item) ?? '').split(', ')));
        if (same.length > 0 && [...names].every(name => covered.has(name))) {
            const ids = same.map(item => item.id).reverse();
            this.context.log.info(`Runtime ${this.runtime} is busy with ${ids.length === 1 ? 'transaction' : 'transactions'} ${ids.join(', ')} deploying the same deployables: following ${ids.length === 1 ? 'it' : 'them'} instead of uploading again (if-busy: await)`);
            return {
                kind: 'task',
                task: { id: ids.join(','), context: { ids } },
                message: `Following ${same.map(item => describeHolder(item)).join('; ')}`
            };
        }
        this.context.log.info(`Runtime ${this.runtime} is locked by ${holder}; uploading anyway: MobileFirst queues the new transaction (PENDING) until the lock is released (if-busy: await)`);
        return undefined;
    }
    resume(taskId) {
        const ids = taskId
            .split(',')
            .map(id => id.trim())
            .filter(Boolean);
        return { id: ids.join(','), context: { ids } };
    }
    async status(task) {
        const ids = idsOf(task);
        const statuses = [];
        let noted = false;
        for (const id of ids) {
            const known = this.ended.get(id);
            if (known) {
                statuses.push(known);
                continue;
            }
            const status = await this.readOne(id);
            if (status.state !== 'running')
                this.ended.set(id, status);
            else if (status.code.toUpperCase() === 'PENDING' && !noted) {
                // The first PENDING one waits for the lock; those after it wait behind it.
                noted = true;
                Object.assign(status, await this.pendingNote(id, ids));
            }
            statuses.push(status);
        }
        return combineStatuses(statuses);
    }
    async readOne(id) {
        const request = {
            method: 'GET',
            path: `${this.runtimePath()}/transactions/${encodeURIComponent(id)}`,
            query: { locale: this.parameters.locale }
        };
        const response = await this.context.http.send(request);
        if (response.status < 200 || response.status >= 300) {
            const body = response.body;
            throw refusal(this.context.http.describe(request), response.status, body, this.runtime, true);
        }
        const body = looksLikeXml(response.text) ? normalizeXml(response.body) : response.body;
        return this.read(decode(TransactionSchema, body, 'MobileFirst transactions'));
    }
    /**
     * A PENDING transaction waits for the runtime lock: say who holds it and since when, in the status line
     * (the log) and as a warning (the summary). A lock that cannot be read leaves the status as it was.
     */
    async pendingNote(id, mine) {
        try {
            const reading = await this.lock.read([id]);
            if (!reading.busy)
                return {};
            const holder = describeHolder(reading.holder);
            const ours = reading.holder !== undefined && mine.includes(reading.holder.id);
            if (ours)
                return { label: 'pending', message: `Transaction ${id} is PENDING behind ${holder}, of this step` };
            if (this.lastHolder !== (reading.holder?.id ?? '?')) {
                this.lastHolder = reading.holder?.id ?? '?';
                this.context.log.info(`Transaction ${id} is PENDING: runtime ${this.runtime} is locked by ${holder}. MobileFirst runs one transaction at a time and releases a lock after at most 30 minutes.`);
            }
            const short = reading.holder
                ? `transaction ${reading.holder.id}${reading.holder.userName ? ` of ${reading.holder.userName}` : ''}`
                : 'another transaction';
            return {
                label: 'pending (runtime locked)',
                message: `Transaction ${id} is PENDING behind ${holder}, which holds the runtime lock`,
                warning: `Transaction ${id} waited (PENDING) behind ${short}, which held the lock of runtime ${this.runtime}`
            };
        }
        catch (error) {
            if (!this.lockReadFailed) {
                this.lockReadFailed = true;
                this.context.log.warning(`Could not read the lock of runtime ${this.runtime}: ${toActionError(error).message}`);
            }
            return {};
        }
    }
    /** `operation: status`: the runtime's latest transaction, as MobileFirst reports it (Transactions (GET)). */
    async latestStatus() {
        const [latest] = await this.lock.latest(1);
        if (!latest) {
            return {
                state: 'skipped',
                code: 'none',
                label: 'no transaction',
                message: `Runtime ${this.runtime} has no transaction yet`
            };
        }
        return this.read(latest);
    }
    read(transaction) {
        if (!isKnownState(transaction.status) && !this.warnedStates.has(transaction.status)) {
            this.warnedStates.add(transaction.status);
            this.context.log.warning(`MobileFirst reported an unknown transaction status '${transaction.status}'; still waiting for SUCCESS, FAILURE or CANCELED`);
        }
        return mapTransaction(transaction);
    }
    /**
     * Reads the runtime, its lock and, for await, the transaction; finds the deployables on disk. Uploads
     * nothing. Any admin role may read a runtime, so the deploy role (mfpadmin, mfpdeployer) is not proven.
     */
    dryRun() {
        const lookups = [
            { check: 'runtime found', run: () => this.readRuntime() },
            {
                check: 'runtime lock',
                run: async () => {
                    const reading = await this.lock.read();
                    return reading.busy
                        ? `runtime ${this.runtime} is locked by ${describeHolder(reading.holder)}: a deployment now would wait (PENDING) or, with if-busy: fail, end the step`
                        : `runtime ${this.runtime} is not locked by any transaction`;
                }
            }
        ];
        if (this.deployment.operation === 'await') {
            const task = this.resume(this.deployment.taskId ?? '');
            lookups.push({
                check: 'transaction found',
                run: async () => `transaction ${task.id} is ${(await this.status(task)).code}`
            });
        }
        else if (this.deployment.operation === 'status') {
            lookups.push({
                check: 'latest transaction',
                run: async () => (await this.latestStatus()).message ?? ''
            });
        }
        else {
            lookups.push({
                check: 'deployables found',
                run: async () => {
                    const files = this.artifacts();
                    return `${files.map(file => `${file.relative} (${driver_megabytes(file.size)}, to ${planDeploy(file).path.slice(1)})`).join(', ')}; uploading needs the mfpadmin or mfpdeployer role, which a read cannot prove`;
                }
            });
        }
        return runDryRunLookups(lookups);
    }
    /** Runtime (GET) `…/runtimes/{runtime}`: JSON `{running: true}` or XML `<runtime running="true"/>`. */
    async readRuntime() {
        const request = {
            method: 'GET',
            path: this.runtimePath(),
            query: { locale: this.parameters.locale }
        };
        const response = await this.context.http.send(request);
        if (response.status < 200 || response.status >= 300) {
            const body = response.body;
            throw refusal(this.context.http.describe(request), response.status, body, this.runtime, true);
        }
        const body = (response.body ?? {});
        const runtime = (looksLikeXml(response.text) ? body.runtime : body);
        if (runtime?.running !== true && runtime?.running !== 'true') {
            throw new ActionError(`Runtime ${this.runtime} exists but is not running`, {
                hint: 'Start the runtime on the MobileFirst Server before deploying to it.'
            });
        }
        return `runtime ${this.runtime} is running (MobileFirst ${String(runtime.productVersion ?? body.productVersion ?? '?')})`;
    }
    /** The plan checked the artifacts already; they are resolved again here, as they are at upload time. */
    artifacts() {
        const { files, problems } = resolveArtifacts(workspaceDirectory(), this.deployment.artifacts);
        if (problems.length) {
            throw new ActionError(`The artifacts changed since the inputs were checked: ${problems.map(problem => `'${problem.value}' ${problem.problem}`).join('; ')}`);
        }
        if (files.length === 0)
            throw new ActionError('No deployable to upload: artifacts is empty');
        return files;
    }
}
function idsOf(task) {
    const ids = task.context?.ids;
    if (Array.isArray(ids) && ids.every(id => typeof id === 'string'))
        return ids;
    return task.id
        .split(',')
        .map(id => id.trim())
        .filter(Boolean);
}
/** Reads the deploy answer whole (it is small), bounded in size and by the run's cancellation. */
function readAnswer(stream, signal) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        const fail = (error) => {
            signal.removeEventListener('abort', onAbort);
            stream.destroy();
            reject(error);
        };
        const onAbort = () => fail(signal.reason);
        if (signal.aborted)
            return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        stream.on('data', (chunk) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES)
                fail(new ActionError(`The deploy answer is larger than ${MAX_ANSWER_BYTES} bytes`));
            else
                chunks.push(chunk);
        });
        stream.on('error', fail);
        stream.on('end', () => {
            signal.removeEventListener('abort', onAbort);
            resolve(Buffer.concat(chunks).toString('utf8'));
        });
    });
}

;// CONCATENATED MODULE: ./src/drivers/mobilefirst/index.ts



const mobilefirst = {
    platform: 'mobilefirst',
    title: 'IBM MobileFirst',
    // status: the runtime's latest transaction (Transactions (GET), orderBy=-created), as THE RULE reads it.
    operations: ['deploy', 'status'],
    defaultOperation: 'deploy',
    readOnlyOperations: ['status'],
    credentials: 'basic',
    parameters: MobileFirstParametersSchema,
    noCancelReason: 'the MobileFirst administration REST API has no call to cancel a transaction',
    validate(deployment) {
        const problems = [];
        const runtime = deployment.target;
        if (!runtime) {
            problems.push({ input: 'target', problem: 'is required for mobilefirst: the runtime name, e.g. mfp' });
        }
        else if (runtime.startsWith('/') || runtime.includes('/')) {
            problems.push({
                input: 'target',
                value: runtime,
                problem: 'must be the runtime name: its context root without slashes, e.g. mfp'
            });
        }
        if (deployment.operation !== 'deploy')
            return problems;
        if (deployment.artifacts.length === 0) {
            problems.push({
                input: 'artifacts',
                problem: 'is required for mobilefirst deploy: paths or globs of deployables, e.g. adapters/*.adapter'
            });
            return problems;
        }
        problems.push(...resolveArtifacts(workspaceDirectory(), deployment.artifacts).problems);
        return problems;
    },
    create: context => new MobileFirstDriver(context)
};

;// CONCATENATED MODULE: ./src/drivers/flexdeploy/api.ts

const ROOT = { v1: '/rest/v1', v2: '/rest/v2' };
const api_HINTS = {
    400: 'FlexDeploy refused the request: check parameters (environmentId, instanceIds, streamId and projectVersionId are ids; environment, instances, stream and release are names the action looks up).',
    401: 'Check username and password (since FlexDeploy 6.0 an API token may stand in for the password; users of an SSO realm must use one).',
    403: 'The user may not do this on this project or environment; check its groups and permissions in FlexDeploy.',
    404: 'Check target: FlexDeploy has no project (or workflow request) with that id.',
    500: 'FlexDeploy failed with an internal error; see the FlexDeploy server log.'
};
/**
 * The probe of `apiVersion: auto`: `GET /rest/v2/workflowrequest/1`, the read Flexagon's Jenkins plugin 3.x
 * (`validateConnection`) uses to check a server. A v2 server answers 200, or 404 saying "WorkflowRequest not
 * found"; any other 404 means the v2 resource is not there, so the action falls back to v1. 401 and 403 are
 * refusals (the credentials, not the version).
 */
const PROBE = `${ROOT.v2}/workflowrequest/1`;
const V2_NOT_FOUND = /workflow\s*request[^"]*not\s+found/i;
/** Sends FlexDeploy requests on the REST API version the deployment asked for or the server has. */
class FlexDeployApi {
    context;
    choice;
    resolved;
    constructor(context, choice) {
        this.context = context;
        this.choice = choice;
    }
    /** The version in use; `auto` asks the server once, logging which it found. */
    async version() {
        if (this.resolved)
            return this.resolved;
        if (this.choice !== 'auto') {
            this.resolved = this.choice;
            return this.resolved;
        }
        const request = { method: 'GET', path: PROBE };
        const response = await this.context.http.send(request);
        if (response.status === 404 && !V2_NOT_FOUND.test(response.text)) {
            this.resolved = 'v1';
            this.context.log.info(`FlexDeploy has no v2 REST API (${this.context.http.describe(request)} answered HTTP 404); using v1 (apiVersion: auto)`);
            return this.resolved;
        }
        if (response.status !== 404)
            this.ensure(response, request);
        this.resolved = 'v2';
        this.context.log.info('FlexDeploy serves its v2 REST API; using v2 (apiVersion: auto)');
        return this.resolved;
    }
    async root() {
        return ROOT[await this.version()];
    }
    /** A request whose failure is a FlexDeploy refusal. */
    async send(request) {
        return this.ensure(await this.context.http.send(request), request);
    }
    /** A request whose status the caller judges. */
    raw(request) {
        return this.context.http.send(request);
    }
    /** The response when it is a success; otherwise FlexDeploy's refusal. */
    check(response, request) {
        return this.ensure(response, request);
    }
    ensure(response, request) {
        return ensureOk(response, this.context.http.describe(request), { vendor: 'FlexDeploy', hints: api_HINTS });
    }
}

;// CONCATENATED MODULE: ./src/drivers/flexdeploy/parameters.ts

/**
 * `parameters` for FlexDeploy: the request fields of the vendor's Project API page (build, deploy, execute),
 * sent under the same names on v1 and mapped to the v2 names on v2 (see body.ts); plus names the action looks
 * up for the ids (`environment`, `stream`/`branch`, `release`, `instances`, the way Flexagon's Jenkins plugin
 * 3.x does) and `apiVersion`.
 */
const parameters_id = (what) => schemas/* union */.KCZ([schemas/* number */.aig(), schemas/* string */.YjP()]).transform((value, ctx) => {
    const text = String(value).trim();
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
        ctx.addIssue({ code: 'custom', message: `${what} must be a numeric FlexDeploy id, e.g. 11210` });
        return core/* NEVER */.tm;
    }
    return Number(text);
});
/** `true`/`false`; the vendor's own deploy example sends `"forceDeploy":"false"`, so the words count too. */
const flag = schemas/* union */.KCZ([schemas/* boolean */.zMY(), schemas/* enum */.k5n(['true', 'false']).transform(value => value === 'true')], {
    error: 'must be true or false'
});
const parameters_text = (what) => schemas/* string */.YjP({ error: `${what} must be a string` })
    .trim()
    .min(1, `${what} is empty`);
/** Values are Strings on the vendor page; numbers and booleans written in YAML are sent as their text. */
const scalar = schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig(), schemas/* boolean */.zMY(), schemas/* null */.chJ()], {
    error: 'values must be strings, numbers or booleans'
})
    .transform(value => (value === null ? null : String(value)));
const CodeValueSchema = schemas/* strictObject */.rej({ code: parameters_text('code'), value: scalar.optional() });
/** `inputs` and `flexFields`: the documented list of `{code, value}`, or the plain mapping `CODE: value`. */
const codeValues = schemas/* union */.KCZ([
    schemas/* array */.YOg(CodeValueSchema),
    schemas/* record */.g1P(schemas/* string */.YjP(), scalar)
        .transform(mapping => Object.entries(mapping).map(([code, value]) => ({ code, value })))
], { error: 'must be a mapping CODE: value, or a list of {code, value}' });
/** `yyyy-MM-dd'T'HH:mm:ssXXX`, e.g. 2019-03-16T21:17:52-06:00 (Project API page, deploy and execute). */
const START_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})$/;
const startTime = schemas/* string */.YjP({ error: 'startTime must be a string; quote it' }).refine(value => {
    const parts = START_TIME.exec(value.trim());
    if (!parts)
        return false;
    const [, year, month, day, hour, minute, second] = parts.map(Number);
    const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour, minute, second));
    return (date.getUTCMonth() === (month ?? 0) - 1 &&
        date.getUTCDate() === day &&
        (hour ?? 24) < 24 &&
        (minute ?? 60) < 60 &&
        (second ?? 60) < 60);
}, { message: "startTime must have the format yyyy-MM-dd'T'HH:mm:ssXXX, e.g. 2019-03-16T21:17:52-06:00" });
const PackageInfoSchema = schemas/* strictObject */.rej({
    packageName: schemas/* string */.YjP().optional(),
    priority: schemas/* number */.aig().int().optional(),
    projectVersionId: parameters_id('projectVersionId').optional(),
    useLatestPackageVersion: flag.optional()
})
    .refine(info => info.projectVersionId !== undefined || info.useLatestPackageVersion === true, {
    message: 'each packageDetails entry needs projectVersionId unless useLatestPackageVersion is true'
});
const ProjectFileSchema = schemas/* strictObject */.rej({
    path: parameters_text('path'),
    scmRevision: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]).optional()
});
/** One id or a list of them. */
const parameters_ids = (what) => schemas/* union */.KCZ([schemas/* array */.YOg(parameters_id(what)), parameters_id(what).transform(value => [value])], {
    error: `${what} must be a list of numeric ids, e.g. [100001]`
});
/** One string or a list. */
const strings = (what) => schemas/* union */.KCZ([schemas/* array */.YOg(schemas/* string */.YjP()), schemas/* string */.YjP().transform(value => [value])], {
    error: `${what} must be a string or a list of strings`
});
/** One code or a list of them. */
const codes = (what) => schemas/* union */.KCZ([schemas/* array */.YOg(parameters_text(what)).min(1, `${what} is empty`), parameters_text(what).transform(value => [value])], {
    error: `${what} must be a code or a list of codes, e.g. [SOA1]`
});
const API_VERSIONS = ['auto', 'v1', 'v2'];
const FlexDeployParametersSchema = schemas/* strictObject */.rej({
    /** Which REST API to speak: `auto` (default) asks v2 first and falls back to v1 when v2 is absent. */
    apiVersion: schemas/* enum */.k5n(API_VERSIONS, { error: 'apiVersion must be auto, v1 or v2' }).optional(),
    environmentId: parameters_id('environmentId').optional(),
    /** The environment's code (e.g. PROD), looked up for its id. */
    environment: parameters_text('environment').optional(),
    /** Instance (v2: target group) codes, looked up for their ids. */
    instances: codes('instances').optional(),
    /** The stream (v2: branch) name, looked up for its id; `branch` is the v2 word for the same. */
    stream: parameters_text('stream').optional(),
    branch: parameters_text('branch').optional(),
    /** A release by name, looked up for its id (build). */
    release: parameters_text('release').optional(),
    instanceIds: parameters_ids('instanceIds').optional(),
    streamId: parameters_id('streamId').optional(),
    forceBuild: flag.optional(),
    forceDeploy: flag.optional(),
    projectVersionId: parameters_id('projectVersionId').optional(),
    exceptionToWindow: flag.optional(),
    startTime: startTime.optional(),
    workflowVersionOverride: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()], { error: 'workflowVersionOverride must be a string' })
        .transform(value => String(value))
        .optional(),
    inputs: codeValues.optional(),
    flexFields: codeValues.optional(),
    packageDetails: schemas/* array */.YOg(PackageInfoSchema, { error: 'packageDetails must be a list' }).optional(),
    projectFiles: schemas/* array */.YOg(ProjectFileSchema, { error: 'projectFiles must be a list of {path, scmRevision}' })
        .optional(),
    packageName: parameters_text('packageName').optional(),
    releaseId: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()], { error: 'releaseId must be an id' }).optional(),
    /** A String on the vendor page ("List of Issue Tracking System tickets"): a list is sent comma-joined. */
    relatedTickets: strings('relatedTickets')
        .transform(list => list.join(','))
        .optional(),
    changeTickets: strings('changeTickets').optional()
});
/** Fields every operation takes, trigger or not. */
const COMMON_FIELDS = ['apiVersion'];
/** An id and a name for the same thing: giving both is an input error. */
const ID_OR_NAME = [
    { id: 'environmentId', names: ['environment'] },
    { id: 'instanceIds', names: ['instances'] },
    { id: 'streamId', names: ['stream', 'branch'] },
    { id: 'releaseId', names: ['release'] }
];
/** Which request fields each operation's endpoint documents. */
const FIELDS_OF = {
    deploy: [
        'environmentId',
        'environment',
        'instanceIds',
        'instances',
        'packageDetails',
        'forceDeploy',
        'exceptionToWindow',
        'projectVersionId',
        'startTime',
        'workflowVersionOverride',
        'inputs',
        'flexFields',
        'changeTickets'
    ],
    build: [
        'environmentId',
        'environment',
        'streamId',
        'stream',
        'branch',
        'forceBuild',
        'relatedTickets',
        'workflowVersionOverride',
        'inputs',
        'flexFields',
        'projectFiles',
        'packageName',
        'releaseId',
        'release'
    ],
    execute: [
        'environmentId',
        'environment',
        'instanceIds',
        'instances',
        'exceptionToWindow',
        'startTime',
        'workflowVersionOverride',
        'inputs',
        'flexFields'
    ]
};

;// CONCATENATED MODULE: ./src/drivers/flexdeploy/body.ts


/** Names the action looks up; never sent as such. */
const NAMES = ['environment', 'instances', 'stream', 'branch', 'release'];
/** v1 `POST /rest/v1/project/{id}/{operation}`: the Project API's own field names. */
function v1Body(operation, parameters, ids) {
    const body = {};
    for (const field of FIELDS_OF[operation]) {
        if (NAMES.includes(field))
            continue;
        if (parameters[field] !== undefined)
            body[field] = parameters[field];
    }
    body.environmentId = ids.environmentId;
    if (ids.instanceIds)
        body.instanceIds = ids.instanceIds;
    if (ids.streamId !== undefined)
        body.streamId = ids.streamId;
    if (ids.releaseId !== undefined)
        body.releaseId = ids.releaseId;
    // The deploy endpoint lists projectId among its body fields too.
    if (operation === 'deploy')
        body.projectId = ids.projectId;
    return body;
}
/**
 * v2 `POST /rest/v2/workflowrequest/{operation}`. Build follows Flexagon's Jenkins plugin 3.x (`buildJSONBody`):
 * projectId, environmentId, force, projectStreamId, releaseDefId, packageName, workflowVersionOverrideId,
 * issueNumbers, inputs, flexFields. Deploy and execute are ASSUMED to take the same names where they share
 * a field, `targetGroupIds` for the instances (v2 "renames Instance to Target Group", Environment API v2) and
 * their v1 names for the rest.
 */
function v2Body(operation, parameters, ids) {
    const body = { projectId: ids.projectId, environmentId: ids.environmentId };
    const copy = (from, to = from) => {
        if (parameters[from] !== undefined)
            body[to] = parameters[from];
    };
    copy('inputs');
    copy('flexFields');
    if (ids.workflowVersionId !== undefined)
        body.workflowVersionOverrideId = ids.workflowVersionId;
    if (operation === 'build') {
        if (parameters.projectFiles !== undefined) {
            throw new ActionError('parameters.projectFiles is a v1 build field; FlexDeploy’s v2 build takes buildFileInputs (project object ids), which this action does not send', { hint: 'Use apiVersion: v1 for a partial build by file path, or packageName on v2.' });
        }
        copy('forceBuild', 'force');
        if (ids.streamId !== undefined)
            body.projectStreamId = ids.streamId;
        if (ids.releaseId !== undefined)
            body.releaseDefId = Number(ids.releaseId);
        copy('packageName');
        if (parameters.relatedTickets !== undefined)
            body.issueNumbers = parameters.relatedTickets
                .split(',')
                .map(ticket => ticket.trim())
                .filter(Boolean);
        return body;
    }
    if (ids.instanceIds)
        body.targetGroupIds = ids.instanceIds;
    copy('exceptionToWindow');
    copy('startTime');
    if (operation === 'deploy') {
        copy('forceDeploy', 'force');
        copy('projectVersionId');
        copy('packageDetails');
        copy('changeTickets');
    }
    return body;
}
function bodyFor(version, operation, parameters, ids) {
    return version === 'v2' ? v2Body(operation, parameters, ids) : v1Body(operation, parameters, ids);
}

;// CONCATENATED MODULE: ./src/drivers/flexdeploy/status.ts
/**
 * Workflow request statuses (Workflow Request API, workflowRequestStatus:
 * https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9856630690/Workflow+Request+API). The page calls only
 * COMPLETED and FAILED final, but ABORTED and REJECTED never move on either (the Jenkins plugin stops on all four).
 */
const STATUSES = {
    INITIATED: { state: 'running', label: 'initiated' },
    PENDING_APPROVAL: { state: 'running', label: 'waiting for approval' },
    SCHEDULED: { state: 'running', label: 'scheduled' },
    READY: { state: 'running', label: 'ready' },
    SUBMITTED: { state: 'running', label: 'running' },
    COMPLETED: { state: 'succeeded', label: 'completed' },
    FAILED: { state: 'failed', label: 'failed' },
    REJECTED: { state: 'failed', label: 'rejected' },
    ABORTED: { state: 'canceled', label: 'aborted' }
};
function isKnownStatus(code) {
    return normalize(code) in STATUSES;
}
function normalize(code) {
    return code.trim().toUpperCase();
}
function stateOf(code) {
    return STATUSES[normalize(code)]?.state ?? 'running';
}
function flexdeploy_status_labelOf(code) {
    return STATUSES[normalize(code)]?.label ?? `unknown status '${code}'`;
}
function status_describe(reading) {
    const code = normalize(reading.code);
    const name = `Workflow request ${reading.id}${reading.subject ? ` (${reading.subject})` : ''}`;
    switch (code) {
        case 'PENDING_APPROVAL':
            return `${name} is waiting for approval in FlexDeploy; it starts only once an approver approves it there`;
        case 'SCHEDULED':
            return `${name} is scheduled; FlexDeploy starts it at its requested start time`;
        case 'COMPLETED':
            return `${name} completed`;
        case 'FAILED':
            return `${name} failed`;
        case 'REJECTED':
            return `${name} was rejected by an approver in FlexDeploy`;
        case 'ABORTED':
            return `${name} was aborted in FlexDeploy`;
        default:
            return isKnownStatus(code)
                ? `${name} is ${flexdeploy_status_labelOf(code)}`
                : `${name} has status '${reading.code}', unknown to this action; still waiting`;
    }
}
/** Which running label to show first when several requests run: the one a person must act on. */
const RUNNING_ORDER = ['PENDING_APPROVAL', 'SCHEDULED', 'SUBMITTED', 'READY', 'INITIATED'];
/**
 * Every request of one trigger, as one status: running until all ended; succeeded only when all completed;
 * failed when any failed or was rejected; otherwise canceled (some were aborted).
 */
function aggregate(readings) {
    const first = readings[0];
    if (!first)
        throw new Error('aggregate needs at least one workflow request');
    const details = readings.length === 1 ? first.details : readings.map(reading => reading.details);
    const codes = [...new Set(readings.map(reading => normalize(reading.code)))];
    const code = readings.length === 1 ? first.code : readings.map(r => `${r.id}:${normalize(r.code)}`).join(', ');
    if (readings.length === 1) {
        return { state: stateOf(first.code), code, label: flexdeploy_status_labelOf(first.code), message: status_describe(first), details };
    }
    const running = readings.filter(reading => stateOf(reading.code) === 'running');
    if (running.length > 0) {
        const shown = RUNNING_ORDER.map(status => running.find(reading => normalize(reading.code) === status)).find(Boolean) ?? running[0];
        const ended = readings.length - running.length;
        // REJECTED, FAILED or ABORTED while others still run: the outcome is already failed (issue 15).
        const broken = readings.filter(reading => ['failed', 'canceled'].includes(stateOf(reading.code)));
        const unfinished = running.map(reading => reading.id).join(', ');
        const failure = broken.length
            ? `${broken.map(status_describe).join('; ')}; workflow request${running.length > 1 ? 's' : ''} ${unfinished} did not finish`
            : undefined;
        return {
            state: 'running',
            code,
            label: flexdeploy_status_labelOf(shown.code),
            message: `${status_describe(shown)} (${ended} of ${readings.length} workflow requests ended${broken.length ? `; ${broken.map(status_describe).join('; ')}` : ''})`,
            details,
            ...(failure ? { failure } : {})
        };
    }
    const failed = readings.filter(reading => stateOf(reading.code) === 'failed');
    const aborted = readings.filter(reading => stateOf(reading.code) === 'canceled');
    if (failed.length === 0 && aborted.length === 0) {
        return {
            state: 'succeeded',
            code,
            label: 'completed',
            message: `All ${readings.length} workflow requests completed (${readings.map(r => r.id).join(', ')})`,
            details
        };
    }
    const worst = failed.length > 0 ? failed : aborted;
    const completed = readings.length - failed.length - aborted.length;
    return {
        state: failed.length > 0 ? 'failed' : 'canceled',
        code,
        label: codes.length === 1 ? flexdeploy_status_labelOf(first.code) : flexdeploy_status_labelOf(worst[0].code),
        message: `${worst.map(status_describe).join('; ')}; ${completed} of ${readings.length} workflow requests completed`,
        details
    };
}

;// CONCATENATED MODULE: ./src/drivers/flexdeploy/log.ts

const stamp = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
function transitionLine(transition) {
    const label = flexdeploy_status_labelOf(transition.code);
    const note = transition.code === 'PENDING_APPROVAL'
        ? ' — waiting for approval in FlexDeploy; an approver must approve it there'
        : transition.code === 'SCHEDULED'
            ? ' — scheduled; FlexDeploy starts it at its requested start time'
            : '';
    return `${stamp(transition.at)} workflow request ${transition.id}: ${transition.code} (${label})${note}\n`;
}
/** What the Workflow Execution API tells about one execution of a request: where, how it ended, its outputs. */
function* executionLines(execution) {
    const what = [execution.workflowType, execution.instanceId ? `on instance ${execution.instanceId}` : '']
        .filter(Boolean)
        .join(' ');
    const times = [execution.startTime, execution.endTime].filter(Boolean).join(' → ');
    const of = execution.workflowRequestId ? ` of request ${execution.workflowRequestId}` : '';
    yield `workflow execution ${execution.workflowExecutionId}${of}${what ? ` (${what})` : ''}: ${execution.executionStatus ?? 'no status'}${times ? `, ${times}` : ''}\n`;
    if (execution.workflowState)
        yield `  state: ${execution.workflowState}\n`;
    if (execution.abortedBy || execution.abortedOn) {
        yield `  aborted by ${execution.abortedBy ?? 'unknown'}${execution.abortedOn ? ` on ${execution.abortedOn}` : ''}\n`;
    }
    for (const output of execution.workflowExecutionOutputs ?? []) {
        yield `  output ${output.code} = ${typeof output.value === 'string' ? output.value : JSON.stringify(output.value)}\n`;
    }
}

;// CONCATENATED MODULE: ./src/drivers/flexdeploy/schemas.ts

/** FlexDeploy ids are Longs; accept them as numbers or digit strings. */
const schemas_id = schemas/* union */.KCZ([schemas/* number */.aig().int().nonnegative(), schemas/* string */.YjP().regex(/^\d+$/)]).transform(Number);
/** A list endpoint may answer one bare object instead of an array (the Project API page's own example does). */
function flexdeploy_schemas_listOf(item) {
    return schemas/* union */.KCZ([schemas/* array */.YOg(item), item.transform(value => [value])]);
}
/**
 * A project, `GET /rest/v1/project/{id}` and `GET /rest/v1/project?…` (vendor Project API page). The page
 * lists no `projectId` attribute, but real servers return it and the lookup needs it.
 */
const ProjectSchema = schemas/* object */.Ikc({
    projectId: schemas_id.nullish(),
    projectName: schemas/* string */.YjP(),
    projectPath: schemas/* string */.YjP().nullish(),
    folderPath: schemas/* string */.YjP().nullish(),
    isActive: schemas/* boolean */.zMY().nullish(),
    projectType: schemas/* string */.YjP().nullish(),
    description: schemas/* string */.YjP().nullish()
})
    .loose();
const ProjectListSchema = flexdeploy_schemas_listOf(ProjectSchema);
/**
 * `GET /rest/v1/workflowrequest/{id}` (Workflow Request API,
 * https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9856630690/Workflow+Request+API). v2 servers name
 * the status `requestStatus`.
 */
const WorkflowRequestSchema = schemas/* object */.Ikc({
    workflowRequestId: schemas_id,
    workflowRequestStatus: schemas/* string */.YjP().nullish(),
    requestStatus: schemas/* string */.YjP().nullish(),
    projectId: schemas_id.nullish(),
    projectName: schemas/* string */.YjP().nullish(),
    projectVersionName: schemas/* string */.YjP().nullish(),
    environmentId: schemas_id.nullish(),
    folderPath: schemas/* string */.YjP().nullish(),
    requestedBy: schemas/* string */.YjP().nullish(),
    requestedStartTime: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]).nullish()
})
    .loose();
/** A request as the trigger answers it: the same object, its status possibly absent. */
const TriggeredRequestSchema = WorkflowRequestSchema;
/**
 * The answer of build, deploy and execute: `workflowRequests` (build, deploy), `wfrequests` (the execute
 * example), or a bare `workflowRequestId` (older revisions); `warningMessage` alone when nothing started.
 */
const TriggerResponseSchema = schemas/* object */.Ikc({
    warningMessage: schemas/* string */.YjP().nullish(),
    warningCode: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]).nullish(),
    workflowRequests: schemas/* array */.YOg(TriggeredRequestSchema).nullish(),
    wfrequests: schemas/* array */.YOg(TriggeredRequestSchema).nullish(),
    workflowRequestId: schemas_id.nullish()
})
    .loose();
const schemas_CodeValueSchema = schemas/* object */.Ikc({ code: schemas/* string */.YjP(), value: schemas/* unknown */.L5J() }).loose();
/**
 * A workflow execution, `GET /rest/v1/workflowexecution?workflowRequestId=…` (Workflow Execution API,
 * https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9923198977): `executionStatus` Success, Failure or
 * Running, one per instance the request ran on.
 */
const WorkflowExecutionSchema = schemas/* object */.Ikc({
    workflowExecutionId: schemas_id,
    workflowRequestId: schemas_id.nullish(),
    projectId: schemas_id.nullish(),
    executionStatus: schemas/* string */.YjP().nullish(),
    workflowType: schemas/* string */.YjP().nullish(),
    instanceId: schemas_id.nullish(),
    environmentId: schemas_id.nullish(),
    startTime: schemas/* string */.YjP().nullish(),
    endTime: schemas/* string */.YjP().nullish(),
    abortedBy: schemas/* string */.YjP().nullish(),
    abortedOn: schemas/* string */.YjP().nullish(),
    workflowState: schemas/* string */.YjP().nullish(),
    workflowExecutionOutputs: schemas/* array */.YOg(schemas_CodeValueSchema).nullish()
})
    .loose();
const WorkflowExecutionListSchema = flexdeploy_schemas_listOf(WorkflowExecutionSchema);
/** A v2 search's answer: `{"items":[…]}` (Jenkins plugin 3.x, `parseSearchJson` reads `items`). */
function itemsOf(item) {
    return schemas/* object */.Ikc({ items: schemas/* array */.YOg(item) }).loose();
}
/**
 * `GET /rest/v2/workflowrequest/{id}` (Jenkins plugin 3.x `getWorkflowExecutionStatus` reads `requestStatus`).
 * The other attributes are ASSUMED to keep their v1 names (the plugin reads only the status).
 */
const WorkflowRequestV2Schema = schemas/* object */.Ikc({
    workflowRequestId: schemas_id,
    requestStatus: schemas/* string */.YjP().nullish(),
    projectId: schemas_id.nullish(),
    projectName: schemas/* string */.YjP().nullish(),
    projectVersionName: schemas/* string */.YjP().nullish(),
    environmentId: schemas_id.nullish(),
    folderPath: schemas/* string */.YjP().nullish(),
    requestedBy: schemas/* string */.YjP().nullish()
})
    .loose();
/** `GET /rest/v2/workflowrequest?projectId=…` (ASSUMED: a v2 search, so an `items` wrapper). */
const WorkflowRequestV2ListSchema = itemsOf(WorkflowRequestV2Schema);
/**
 * The answer of `POST /rest/v2/workflowrequest/build` (Jenkins plugin 3.x: 201, `workflowRequestId`). A
 * warning when nothing started is ASSUMED to keep its v1 fields.
 */
const TriggerResponseV2Schema = schemas/* object */.Ikc({
    workflowRequestId: schemas_id.nullish(),
    requestStatus: schemas/* string */.YjP().nullish(),
    warningMessage: schemas/* string */.YjP().nullish(),
    warningCode: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]).nullish()
})
    .loose();
/**
 * An environment: v1 `GET /rest/v1/topology/environment?environmentCode=…` answers a list (Environment API,
 * FlexDeploy 5.0-6.5 wiki), v2 `GET /rest/v2/topology/environment?environmentCode=…` an `items` wrapper
 * (Environment API v2 page, FD57; Jenkins plugin 3.x `getEnvironmentId`).
 */
const schemas_EnvironmentSchema = schemas/* object */.Ikc({ environmentId: schemas_id, environmentCode: schemas/* string */.YjP(), environmentName: schemas/* string */.YjP().nullish() })
    .loose();
/**
 * An instance (v1 `GET /rest/v1/topology/instance?instanceCode=…`, ASSUMED by analogy with the Environment
 * API's query parameters) or a target group (v2 `GET /rest/v2/topology/targetgroup?targetGroupCode=…`: v2
 * "renames Instance to Target Group", Environment API v2 page; the query parameter name is ASSUMED).
 */
const InstanceSchema = schemas/* object */.Ikc({ instanceId: schemas_id, instanceCode: schemas/* string */.YjP(), instanceName: schemas/* string */.YjP().nullish() })
    .loose();
const TargetGroupSchema = schemas/* object */.Ikc({ targetGroupId: schemas_id, targetGroupCode: schemas/* string */.YjP(), targetGroupName: schemas/* string */.YjP().nullish() })
    .loose();
/** `GET /rest/v2/folder?folderName=…&parentFolderId=…` items: `folderId`, `folderName` (Jenkins plugin 3.x). */
const FolderSchema = schemas/* object */.Ikc({ folderId: schemas_id, folderName: schemas/* string */.YjP() }).loose();
/** `GET /rest/v2/project?projectName=…&folderId=…` items and `GET /rest/v2/project/{id}` (Jenkins plugin 3.x). */
const ProjectV2Schema = schemas/* object */.Ikc({
    projectId: schemas_id,
    projectName: schemas/* string */.YjP(),
    folderId: schemas_id.nullish(),
    isActive: schemas/* boolean */.zMY().nullish(),
    projectType: schemas/* string */.YjP().nullish(),
    projectWorkflows: schemas/* array */.YOg(schemas/* object */.Ikc({ projectWorkflowType: schemas/* string */.YjP(), workflowId: schemas_id }).loose()).nullish()
})
    .loose();
/**
 * `GET /rest/v2/project/{id}/branch?branchName=…` items: `projectBranchId` (Jenkins plugin 3.x; the name
 * field `branchName` is ASSUMED from the query parameter). v1 streams, `GET /rest/v1/project/{id}/stream?streamName=…`
 * answering `projectStreamId`/`streamName`, are ASSUMED (the Project API lists only stream ids).
 */
const BranchSchema = schemas/* object */.Ikc({ projectBranchId: schemas_id, branchName: schemas/* string */.YjP() }).loose();
const StreamSchema = schemas/* object */.Ikc({ projectStreamId: schemas_id, streamName: schemas/* string */.YjP() }).loose();
/**
 * `GET /rest/v1/releases?releaseName=…` (the Jenkins plugin uses this v1 call even against v2): a bare list
 * of `{releaseId, releaseName, projects:[{projectId}]}`; the plugin refuses when the project is not in it.
 */
const ReleaseSchema = schemas/* object */.Ikc({
    releaseId: schemas_id,
    releaseName: schemas/* string */.YjP(),
    projects: schemas/* array */.YOg(schemas/* object */.Ikc({ projectId: schemas_id }).loose()).nullish()
})
    .loose();
const ReleaseListSchema = schemas/* array */.YOg(ReleaseSchema);
/** `GET /rest/v2/workflow/{id}` → `workflowVersions[{workflowVersion, workflowVersionId}]` (Jenkins plugin 3.x). */
const WorkflowV2Schema = schemas/* object */.Ikc({
    workflowVersions: schemas/* array */.YOg(schemas/* object */.Ikc({ workflowVersion: schemas/* string */.YjP(), workflowVersionId: schemas_id }).loose())
})
    .loose();

;// CONCATENATED MODULE: ./src/drivers/flexdeploy/lookups.ts




const SHOWN = 20;
function listing(items) {
    const shown = items
        .slice(0, SHOWN)
        .map(item => `${item.name} (${item.id})`)
        .join(', ');
    return items.length > SHOWN ? `${shown} and ${items.length - SHOWN} more` : shown;
}
/**
 * The one item named `wanted` in a search's answer. Searches may match on "contains" (the Jenkins plugin
 * says so of folders), so the answer is narrowed to the exact name, then to the name ignoring case. None:
 * an error listing what exists (`everything` reads it); several: an error listing them.
 */
async function pickNamed(what, wanted, found, everything, where = '') {
    const exact = found.filter(item => item.name === wanted);
    const matches = exact.length > 0 ? exact : found.filter(item => item.name.toLowerCase() === wanted.toLowerCase());
    if (matches.length === 1)
        return matches[0];
    if (matches.length > 1) {
        throw new ActionError(`Several FlexDeploy ${what}s${where} are named '${wanted}': ${listing(matches)}`, {
            hint: `Give the ${what}'s numeric id instead of its name.`
        });
    }
    const existing = await everything();
    throw new ActionError(`FlexDeploy has no ${what} '${wanted}'${where}; ` +
        (existing.length ? `it has: ${listing(existing)}` : `it lists no ${what} there`), { hint: `Check the ${what}'s name as FlexDeploy shows it, or give its numeric id.` });
}
/** Name look-ups on the version the API object speaks, each answer parsed with its own schema. */
class Lookups {
    api;
    log;
    constructor(api, log) {
        this.api = api;
        this.log = log;
    }
    /** The environment by code (v1 list, v2 items; Environment API pages, Jenkins plugin `getEnvironmentId`). */
    async environmentId(code) {
        const v2 = (await this.api.version()) === 'v2';
        const path = `${await this.api.root()}/topology/environment`;
        const read = async (query) => {
            const body = (await this.api.send({ method: 'GET', path, query })).body ?? [];
            return this.list(v2, schemas_EnvironmentSchema, body, 'FlexDeploy environment search').map(item => ({
                id: item.environmentId,
                name: item.environmentCode
            }));
        };
        const found = await pickNamed('environment', code, await read({ environmentCode: code }), () => read({}));
        this.log.info(`Environment ${code} is FlexDeploy environment ${found.id}`);
        return found.id;
    }
    /** Instances (v2: target groups) by code. */
    async instanceIds(codes) {
        const v2 = (await this.api.version()) === 'v2';
        const path = `${await this.api.root()}/topology/${v2 ? 'targetgroup' : 'instance'}`;
        const key = v2 ? 'targetGroupCode' : 'instanceCode';
        const read = async (query) => {
            const body = (await this.api.send({ method: 'GET', path, query })).body ?? [];
            return v2
                ? this.list(true, TargetGroupSchema, body, 'FlexDeploy target group search').map(item => ({
                    id: item.targetGroupId,
                    name: item.targetGroupCode
                }))
                : this.list(false, InstanceSchema, body, 'FlexDeploy instance search').map(item => ({
                    id: item.instanceId,
                    name: item.instanceCode
                }));
        };
        const ids = [];
        for (const code of codes) {
            const found = await pickNamed(v2 ? 'target group' : 'instance', code, await read({ [key]: code }), () => read({}));
            ids.push(found.id);
        }
        this.log.info(`Instances ${codes.join(', ')} are FlexDeploy ${v2 ? 'target groups' : 'instances'} ${ids.join(', ')}`);
        return ids;
    }
    /** The project's stream (v2: branch) by name. */
    async streamId(projectId, name) {
        const v2 = (await this.api.version()) === 'v2';
        const path = `${await this.api.root()}/project/${projectId}/${v2 ? 'branch' : 'stream'}`;
        const read = async (query) => {
            const body = (await this.api.send({ method: 'GET', path, query })).body ?? [];
            return v2
                ? this.list(true, BranchSchema, body, 'FlexDeploy branch search').map(item => ({
                    id: item.projectBranchId,
                    name: item.branchName
                }))
                : this.list(false, StreamSchema, body, 'FlexDeploy stream search').map(item => ({
                    id: item.projectStreamId,
                    name: item.streamName
                }));
        };
        const what = v2 ? 'branch' : 'stream';
        const found = await pickNamed(what, name, await read(v2 ? { branchName: name } : { streamName: name }), () => read({}), ` in project ${projectId}`);
        this.log.info(`Stream ${name} is FlexDeploy ${what} ${found.id} of project ${projectId}`);
        return found.id;
    }
    /** A release by name, which must hold the project (`GET /rest/v1/releases?releaseName=`, Jenkins plugin). */
    async releaseId(name, projectId) {
        const path = '/rest/v1/releases';
        const read = async (query) => decode(ReleaseListSchema, (await this.api.send({ method: 'GET', path, query })).body ?? [], 'FlexDeploy release search');
        const releases = await read({ releaseName: name });
        const found = await pickNamed('release', name, releases.map(release => ({ id: release.releaseId, name: release.releaseName })), async () => (await read({})).map(release => ({ id: release.releaseId, name: release.releaseName })));
        const release = releases.find(candidate => candidate.releaseId === found.id);
        const projects = release?.projects ?? [];
        if (!projects.some(project => project.projectId === projectId)) {
            throw new ActionError(`FlexDeploy release '${name}' (${found.id}) does not hold project ${projectId}` +
                (projects.length
                    ? `; it holds projects ${projects.map(project => project.projectId).join(', ')}`
                    : '; it holds no project'), { hint: 'Add the project to the release in FlexDeploy, or build without release.' });
        }
        this.log.info(`Release ${name} is FlexDeploy release ${found.id}`);
        return found.id;
    }
    /**
     * The project at `FlexDeploy/Folder/Sub/Project` on v2: every folder looked up below its parent, from the
     * root folder (id 99), then the project in the last folder (Jenkins plugin 3.x `getProjectId`, `getFolderId`).
     */
    async projectByPath(folders, name) {
        let parent = ROOT_FOLDER_ID;
        const walked = ['FlexDeploy'];
        for (const folder of folders) {
            const read = async (query) => this.list(true, FolderSchema, (await this.api.send({ method: 'GET', path: '/rest/v2/folder', query })).body, 'FlexDeploy folder search').map(item => ({ id: item.folderId, name: item.folderName }));
            const found = await pickNamed('folder', folder, await read({ folderName: folder, parentFolderId: parent }), () => read({ parentFolderId: parent }), ` in ${walked.join('/')}`);
            parent = found.id;
            walked.push(folder);
        }
        const read = async (query) => this.list(true, ProjectV2Schema, (await this.api.send({ method: 'GET', path: '/rest/v2/project', query })).body, 'FlexDeploy project search');
        const projects = await read({ projectName: name, folderId: parent });
        const found = await pickNamed('project', name, projects
            .filter(project => project.folderId === undefined || project.folderId === null || project.folderId === parent)
            .map(project => ({ id: project.projectId, name: project.projectName })), async () => (await read({ folderId: parent })).map(project => ({
            id: project.projectId,
            name: project.projectName
        })), ` in ${walked.join('/')}`);
        return projects.find(project => project.projectId === found.id);
    }
    /**
     * The id of a workflow version for `workflowVersionOverrideId` on v2: the project's workflow of that type,
     * then its version by name (Jenkins plugin 3.x `getWorkflowVersionOverrideId`, BUILD; DEPLOY and UTILITY
     * for deploy and execute are ASSUMED).
     */
    async workflowVersionId(projectId, type, version) {
        const project = decode(ProjectV2Schema, (await this.api.send({ method: 'GET', path: `/rest/v2/project/${projectId}` })).body, 'FlexDeploy project');
        const workflows = project.projectWorkflows ?? [];
        const workflow = workflows.find(candidate => candidate.projectWorkflowType.toUpperCase() === type);
        if (!workflow) {
            throw new ActionError(`FlexDeploy project ${projectId} has no ${type} workflow to override` +
                (workflows.length
                    ? `; it has ${workflows.map(candidate => candidate.projectWorkflowType).join(', ')}`
                    : ''), { hint: 'Leave workflowVersionOverride out to run the project’s active workflow version.' });
        }
        const versions = decode(WorkflowV2Schema, (await this.api.send({ method: 'GET', path: `/rest/v2/workflow/${workflow.workflowId}` })).body, 'FlexDeploy workflow').workflowVersions.map(item => ({ id: item.workflowVersionId, name: item.workflowVersion }));
        const found = await pickNamed('workflow version', version, versions, async () => versions, ` of workflow ${workflow.workflowId}`);
        this.log.info(`Workflow version ${version} is FlexDeploy workflow version ${found.id}`);
        return found.id;
    }
    list(v2, item, body, what) {
        if (v2)
            return decode(itemsOf(item), body ?? {}, what).items;
        return decode(schemas/* array */.YOg(item), body ?? [], what);
    }
}
/** The root folder `FlexDeploy` (Jenkins plugin 3.x `FLEXDEPLOY_FOLDER_ID`). */
const ROOT_FOLDER_ID = 99;

;// CONCATENATED MODULE: ./src/drivers/flexdeploy/project.ts

/** `10501` is a project id; `Folder/Sub/ProjectName` (slashes either way, as folderPath allows) a path. */
function parseTarget(target) {
    const trimmed = target.trim();
    if (/^\d+$/.test(trimmed))
        return { kind: 'id', id: Number(trimmed) };
    const segments = splitPath(trimmed);
    return { kind: 'path', name: segments.at(-1) ?? trimmed, folder: segments.slice(0, -1) };
}
function splitPath(path) {
    return path
        .split(/[\\/]/)
        .map(segment => segment.trim())
        .filter(Boolean);
}
/** The project archive root folder is optional in a folder path (Project API page, folderPath format). */
function withoutRoot(segments) {
    return segments[0]?.toLowerCase() === 'flexdeploy' ? segments.slice(1) : segments;
}
const sameText = (left, right) => left.toLowerCase() === right.toLowerCase();
/** The folders a project sits in, from its projectPath or folderPath; undefined when it gives neither. */
function foldersOf(project) {
    if (project.projectPath) {
        const segments = withoutRoot(splitPath(project.projectPath));
        const last = segments.at(-1);
        return last !== undefined && sameText(last, project.projectName) ? segments.slice(0, -1) : segments;
    }
    return project.folderPath ? withoutRoot(splitPath(project.folderPath)) : undefined;
}
function describeProject(project) {
    const where = project.projectPath ?? project.folderPath;
    const id = project.projectId ?? 'no id';
    return `${project.projectName} (${id}${where ? `, ${where}` : ''}${project.isActive === false ? ', inactive' : ''})`;
}
/**
 * Picks the one project a path names from the search's answer. The name search is contains-ignore-case and
 * the folder search includes sub folders, so the answer is narrowed to the exact name and folder.
 */
function pickProject(target, ref, found) {
    const folder = withoutRoot(ref.folder);
    const named = found.filter(project => project.projectName === ref.name);
    const candidates = named.length > 0 ? named : found.filter(project => sameText(project.projectName, ref.name));
    const inFolder = candidates.filter(project => {
        const folders = foldersOf(project);
        if (!folders || folder.length === 0)
            return true;
        return (folders.length === folder.length &&
            folders.every((segment, index) => sameText(segment, folder[index] ?? '')));
    });
    const active = inFolder.filter(project => project.isActive !== false);
    const matches = active.length === 1 ? active : inFolder;
    const listed = found.slice(0, 10).map(describeProject).join('; ');
    const more = found.length > 10 ? `; and ${found.length - 10} more` : '';
    if (matches.length === 0) {
        throw new ActionError(`FlexDeploy has no project '${ref.name}'${folder.length ? ` in folder '${folder.join('/')}'` : ''}; ` +
            (found.length ? `the search found: ${listed}${more}` : 'the search found no project with that name'), { hint: 'target is Folder/Sub/ProjectName as FlexDeploy shows it (or the numeric project id).' });
    }
    if (matches.length > 1) {
        throw new ActionError(`Several FlexDeploy projects match target '${target}': ${matches.map(describeProject).join('; ')}`, { hint: 'Give the full folder path, or the numeric project id as target.' });
    }
    const match = matches[0];
    if (match.projectId === undefined || match.projectId === null) {
        throw new ActionError(`FlexDeploy found project ${describeProject(match)} but did not say its id`, {
            hint: 'Use the numeric project id as target.'
        });
    }
    return match;
}

;// CONCATENATED MODULE: ./src/drivers/flexdeploy/driver.ts











/**
 * Vendor sources. v1: Project API (shared/vendor-docs/004_…): GET /rest/v1/project/{id}, GET /rest/v1/project?…,
 * POST /rest/v1/project/{id}/build|deploy|execute; Workflow Request API
 * (https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9856630690/Workflow+Request+API):
 * GET /rest/v1/workflowrequest/{id}; Workflow Execution API
 * (https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9923198977): GET /rest/v1/workflowexecution?workflowRequestId=….
 * v2 (FlexDeploy 9.0 API Guide: v1 "deprecated since FlexDeploy 6.0"; Flexagon's Jenkins plugin
 * `jenkinsci/flexdeploy-plugin` 3.x, PluginConstants.java and TriggerFlexDeployProject.java):
 * POST /rest/v2/workflowrequest/build → 201 {workflowRequestId}; GET /rest/v2/workflowrequest/{id} → requestStatus;
 * searches answer {"items":[…]}. deploy/execute on v2 and the v2 workflow request and execution searches are ASSUMED
 * by analogy (see body.ts and below).
 * Abort: no page of the v1 or v2 references we could read (Flexagon wiki FD50-FD90, the API Guide 9.0, the
 * Jenkins plugin) documents a call that aborts a workflow request or execution.
 */
class FlexDeployDriver {
    context;
    warnedCodes = new Set();
    /** Requests already ended are not read again. */
    ended = new Map();
    transitions = [];
    lastCode = new Map();
    api;
    lookups;
    constructor(context) {
        this.context = context;
        this.api = new FlexDeployApi(context, this.parameters.apiVersion ?? 'auto');
        this.lookups = new Lookups(this.api, context.log);
    }
    get deployment() {
        return this.context.deployment;
    }
    get parameters() {
        return this.context.deployment.parameters;
    }
    async start() {
        const version = await this.api.version();
        if (this.deployment.operation === 'status')
            return this.describeLatest(await this.lookUpProject());
        const project = await this.resolveProject();
        const operation = this.deployment.operation;
        const ids = await this.resolveIds(operation, project.projectId);
        const path = version === 'v2'
            ? `/rest/v2/workflowrequest/${operation}`
            : `/rest/v1/project/${ids.projectId}/${operation}`;
        const response = await this.api.send({
            method: 'POST',
            path,
            json: bodyFor(version, operation, this.parameters, ids)
        });
        const { ids: requestIds, statuses, warning } = this.triggered(version, operation, response.body);
        if (requestIds.length === 0) {
            if (warning) {
                return {
                    kind: 'final',
                    status: {
                        state: 'skipped',
                        code: warning.code,
                        label: 'nothing to do',
                        message: `FlexDeploy started no ${operation}: ${warning.message}`,
                        details: response.body
                    }
                };
            }
            throw new ActionError(`FlexDeploy answered the ${operation} of ${describeProject(project)} with HTTP ${response.status} but no workflow request and no warning`, {
                hint: 'Look for the request in FlexDeploy; the server may run an API version this action does not know.'
            });
        }
        for (const [id, code] of statuses)
            this.observe(id, code);
        const plural = requestIds.length > 1
            ? `workflow requests ${requestIds.join(', ')}`
            : `workflow request ${requestIds[0]}`;
        return {
            kind: 'task',
            task: { id: requestIds.join(','), context: { ids: requestIds, projectId: ids.projectId } },
            message: `FlexDeploy accepted the ${operation} of ${describeProject(project)} as ${plural}`
        };
    }
    /** The request ids (and statuses) a trigger answered, in the shape of the version it spoke. */
    triggered(version, operation, body) {
        const statuses = new Map();
        let warning;
        if (version === 'v2') {
            const answer = decode(TriggerResponseV2Schema, body ?? {}, `FlexDeploy workflowrequest/${operation}`);
            if (answer.workflowRequestId !== undefined && answer.workflowRequestId !== null)
                statuses.set(answer.workflowRequestId, answer.requestStatus ?? undefined);
            if (answer.warningMessage || answer.warningCode)
                warning = {
                    code: String(answer.warningCode ?? 'WARNING'),
                    message: answer.warningMessage ?? String(answer.warningCode)
                };
        }
        else {
            const answer = decode(TriggerResponseSchema, body ?? {}, `FlexDeploy project/${operation}`);
            for (const request of [...(answer.workflowRequests ?? []), ...(answer.wfrequests ?? [])])
                statuses.set(request.workflowRequestId, request.workflowRequestStatus ?? request.requestStatus ?? undefined);
            if (statuses.size === 0 && answer.workflowRequestId !== undefined && answer.workflowRequestId !== null)
                statuses.set(answer.workflowRequestId, undefined);
            if (answer.warningMessage || answer.warningCode)
                warning = {
                    code: String(answer.warningCode ?? 'WARNING'),
                    message: answer.warningMessage ?? String(answer.warningCode)
                };
        }
        return { ids: [...statuses.keys()], statuses, warning };
    }
    /** The ids behind every name the deployment gave, looked up before anything is triggered. */
    async resolveIds(operation, projectId) {
        const parameters = this.parameters;
        const version = await this.api.version();
        const ids = {
            projectId,
            environmentId: parameters.environmentId ?? (await this.lookups.environmentId(parameters.environment))
        };
        if (parameters.instanceIds)
            ids.instanceIds = parameters.instanceIds;
        else if (parameters.instances)
            ids.instanceIds = await this.lookups.instanceIds(parameters.instances);
        const streamName = parameters.stream ?? parameters.branch;
        if (parameters.streamId !== undefined)
            ids.streamId = parameters.streamId;
        else if (streamName)
            ids.streamId = await this.lookups.streamId(projectId, streamName);
        if (parameters.releaseId !== undefined)
            ids.releaseId = parameters.releaseId;
        else if (parameters.release)
            ids.releaseId = await this.lookups.releaseId(parameters.release, projectId);
        if (version === 'v2' && parameters.workflowVersionOverride !== undefined) {
            const type = { build: 'BUILD', deploy: 'DEPLOY', execute: 'UTILITY' }[operation];
            ids.workflowVersionId = await this.lookups.workflowVersionId(projectId, type, parameters.workflowVersionOverride);
        }
        return ids;
    }
    /** Finds the project (by id or path) and every name, or for await every request; triggers nothing. */
    dryRun() {
        const version = {
            check: 'REST API version',
            run: async () => `FlexDeploy REST API ${await this.api.version()}`
        };
        if (this.deployment.operation === 'await') {
            return runDryRunLookups([
                ...driver_idsOf(this.resume(this.deployment.taskId ?? '')).map(id => ({
                    check: `workflow request ${id} found`,
                    run: async () => `workflow request ${id} is ${(await this.readRequest(id)).code}`
                })),
                version
            ]);
        }
        let project;
        // The first look-up must reach the server (it proves the credentials): the version check comes after.
        const checks = [
            {
                check: 'target resolved',
                run: async () => describeProject((project = await this.lookUpProject()))
            },
            version
        ];
        const operation = this.deployment.operation;
        if (operation === 'deploy' || operation === 'build' || operation === 'execute') {
            checks.push({
                check: 'names resolved',
                run: async () => {
                    if (!project)
                        throw new ActionError('the target was not resolved, so its names cannot be');
                    const ids = await this.resolveIds(operation, project.projectId);
                    return Object.entries(ids)
                        .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(',') : String(value)}`)
                        .join(', ');
                }
            });
        }
        return runDryRunLookups(checks);
    }
    /** The project itself, read even for a numeric id. */
    async lookUpProject() {
        const ref = parseTarget(this.deployment.target ?? '');
        if (ref.kind !== 'id')
            return this.resolveProject();
        const root = await this.api.root();
        const response = await this.api.send({ method: 'GET', path: `${root}/project/${ref.id}` });
        if (root === '/rest/v2') {
            const project = decode(ProjectV2Schema, response.body, 'FlexDeploy project');
            return { ...project, projectId: ref.id };
        }
        return { ...decode(ProjectSchema, response.body, 'FlexDeploy project'), projectId: ref.id };
    }
    resume(taskId) {
        const ids = taskId
            .split(',')
            .map(part => part.trim())
            .filter(Boolean)
            .map(Number);
        return { id: ids.join(','), context: { ids } };
    }
    async status(task, signal) {
        const readings = [];
        for (const id of driver_idsOf(task)) {
            const known = this.ended.get(id);
            if (known) {
                readings.push(known);
                continue;
            }
            if (signal?.aborted)
                throw signal.reason;
            const reading = await this.readRequest(id);
            this.observe(id, reading.code);
            if (!isKnownStatus(reading.code) && !this.warnedCodes.has(reading.code)) {
                this.warnedCodes.add(reading.code);
                this.context.log.warning(`FlexDeploy reported an unknown workflow request status '${reading.code}'; still waiting for a known final status`);
            }
            if (stateOf(reading.code) !== 'running')
                this.ended.set(id, reading);
            readings.push(reading);
        }
        return aggregate(readings);
    }
    /** What FlexDeploy tells about the requests' executions, after the status changes seen while polling. */
    async log(task, signal) {
        const lines = this.transitions.map(transitionLine);
        const version = await this.api.version();
        for (const id of driver_idsOf(task)) {
            if (signal?.aborted)
                throw signal.reason;
            // v2: ASSUMED `GET /rest/v2/workflowexecution?workflowRequestId=` answering an `items` wrapper.
            const response = await this.api.raw({
                method: 'GET',
                path: `/rest/${version}/workflowexecution`,
                query: { workflowRequestId: id }
            });
            if (response.status < 200 || response.status >= 300) {
                lines.push(`workflow request ${id}: no execution details (HTTP ${response.status})\n`);
                continue;
            }
            const executions = this.executions(version, response.body);
            if (executions.length === 0)
                lines.push(`workflow request ${id}: no workflow execution (it never ran)\n`);
            for (const execution of executions)
                lines.push(...executionLines(execution));
        }
        return external_node_stream_.Readable.from(lines);
    }
    executions(version, body) {
        return version === 'v2'
            ? decode(itemsOf(WorkflowExecutionSchema), body ?? {}, 'FlexDeploy workflowexecution').items
            : decode(WorkflowExecutionListSchema, body ?? [], 'FlexDeploy workflowexecution');
    }
    observe(id, code) {
        if (!code || this.lastCode.get(id) === code)
            return;
        this.lastCode.set(id, code);
        this.transitions.push({ at: this.context.clock.now(), id, code });
    }
    async resolveProject() {
        const target = this.deployment.target ?? '';
        const ref = parseTarget(target);
        // A trigger's own 404 says the id is wrong.
        if (ref.kind === 'id')
            return { projectId: ref.id, projectName: `project ${ref.id}` };
        let project;
        if ((await this.api.version()) === 'v2') {
            const folders = withoutRoot(ref.folder);
            const found = await this.lookups.projectByPath(folders, ref.name);
            project = { ...found, projectPath: ['FlexDeploy', ...folders, found.projectName].join('/') };
        }
        else {
            const search = {
                method: 'GET',
                path: '/rest/v1/project',
                query: { projectName: ref.name, folderPath: ref.folder.length ? ref.folder.join('/') : undefined }
            };
            const response = await this.api.raw(search);
            const found = response.status === 404
                ? []
                : decode(ProjectListSchema, this.api.check(response, search).body ?? [], 'FlexDeploy project search');
            project = pickProject(target, ref, found);
        }
        this.context.log.info(`Target ${target} is FlexDeploy project ${describeProject(project)}`);
        return project;
    }
    /**
     * `operation: status`: the project's latest workflow request, nothing triggered (THE RULE). v2 searches
     * `GET /rest/v2/workflowrequest?projectId=` (ASSUMED); v1 has no request search, so it reads
     * `GET /rest/v1/workflowexecution?projectId=` (projectId is an attribute of an execution; the query
     * parameter is ASSUMED) and takes the highest request id. Either way the answer is filtered on our side to
     * the project, in case the server ignored the filter, and the log says when it did.
     */
    async describeLatest(project) {
        const about = describeProject(project);
        const projectId = project.projectId;
        const version = await this.api.version();
        const listed = await this.api.send({
            method: 'GET',
            path: `/rest/${version}/${version === 'v2' ? 'workflowrequest' : 'workflowexecution'}`,
            query: { projectId }
        });
        const entries = version === 'v2'
            ? decode(WorkflowRequestV2ListSchema, listed.body ?? {}, 'FlexDeploy workflowrequest search').items.map(request => ({ requestId: request.workflowRequestId, projectId: request.projectId }))
            : decode(WorkflowExecutionListSchema, listed.body ?? [], 'FlexDeploy workflowexecution')
                .filter(execution => execution.workflowRequestId !== undefined && execution.workflowRequestId !== null)
                .map(execution => ({
                requestId: execution.workflowRequestId,
                projectId: execution.projectId
            }));
        const ours = entries.filter(entry => entry.projectId === projectId);
        if (ours.length < entries.length) {
            this.context.log.info(`FlexDeploy ignored the projectId filter: ${entries.length - ours.length} of the ${entries.length} entries it listed belong to other projects (or name none); kept the ${ours.length} of project ${projectId}`);
        }
        if (entries.length === 0 || ours.length === 0) {
            return {
                kind: 'final',
                status: {
                    state: 'skipped',
                    code: 'none',
                    label: 'no request yet',
                    message: `Project ${about} has no workflow request yet` +
                        (entries.length ? ` (FlexDeploy listed ${entries.length} of other projects)` : ''),
                    details: { project }
                }
            };
        }
        const id = Math.max(...ours.map(entry => entry.requestId));
        const reading = await this.readRequest(id);
        this.observe(id, reading.code);
        const mapped = aggregate([reading]);
        return {
            kind: 'final',
            status: {
                ...mapped,
                message: `Project ${about}: ${mapped.message}`,
                details: { project, latestRequest: reading.details }
            },
            task: { id: String(id), context: { ids: [id] } }
        };
    }
    async readRequest(id) {
        const version = await this.api.version();
        const response = await this.api.send({ method: 'GET', path: `/rest/${version}/workflowrequest/${id}` });
        if (version === 'v2') {
            const request = decode(WorkflowRequestV2Schema, response.body, 'FlexDeploy workflowrequest');
            return { id, code: request.requestStatus ?? 'UNKNOWN', subject: driver_subjectOf(request), details: request };
        }
        const request = decode(WorkflowRequestSchema, response.body, 'FlexDeploy workflowrequest');
        return {
            id,
            code: request.workflowRequestStatus ?? request.requestStatus ?? 'UNKNOWN',
            subject: driver_subjectOf(request),
            details: request
        };
    }
}
function driver_idsOf(task) {
    const ids = task.context?.ids;
    return Array.isArray(ids) ? ids.map(Number) : task.id.split(',').map(Number);
}
function driver_subjectOf(request) {
    const subject = [request.projectName, request.projectVersionName].filter(Boolean).join(' ');
    return subject || undefined;
}

;// CONCATENATED MODULE: ./src/drivers/flexdeploy/index.ts


const TRIGGERS = ['deploy', 'build', 'execute'];
const flexdeploy = {
    platform: 'flexdeploy',
    title: 'FlexDeploy',
    operations: ['deploy', 'build', 'execute', 'status'],
    defaultOperation: 'deploy',
    readOnlyOperations: ['status'],
    credentials: 'basic',
    parameters: FlexDeployParametersSchema,
    // Searched for issue 15: Flexagon's wiki (FD50-FD90 API pages, API Guide 9.0), the Jenkins plugin 3.x.
    noCancelReason: 'FlexDeploy’s REST API has no call to abort a workflow request, in v1 or v2 (abort it in the FlexDeploy UI)',
    validate: deployment => [
        ...flexdeploy_targetProblems(deployment),
        ...flexdeploy_parameterProblems(deployment),
        ...taskIdProblems(deployment)
    ],
    create: context => new FlexDeployDriver(context)
};
function flexdeploy_targetProblems(deployment) {
    if (deployment.operation === 'await' || deployment.target)
        return [];
    return [
        {
            input: 'target',
            problem: 'is required for flexdeploy: a project id (10501) or a project path (Folder/Sub/ProjectName)'
        }
    ];
}
function flexdeploy_parameterProblems(deployment) {
    const { operation, parameters } = deployment;
    const given = Object.keys(parameters).filter(key => parameters[key] !== undefined && !COMMON_FIELDS.includes(key));
    const trigger = TRIGGERS.find(name => name === operation);
    if (!trigger) {
        return given.map(key => ({
            input: 'parameters',
            value: key,
            problem: `${key} is not used by operation: ${operation}, which triggers nothing (it takes apiVersion only)`
        }));
    }
    const problems = [];
    const allowed = FIELDS_OF[trigger];
    for (const key of given) {
        if (allowed.includes(key))
            continue;
        const usedBy = TRIGGERS.filter(name => FIELDS_OF[name].includes(key));
        problems.push({
            input: 'parameters',
            value: key,
            problem: `${key} is not a field of the ${trigger} request; it applies to ${usedBy.join(', ')} (valid for ${trigger}: ${[...COMMON_FIELDS, ...allowed].join(', ')})`
        });
    }
    for (const { id, names } of ID_OR_NAME) {
        const present = [id, ...names].filter(key => parameters[key] !== undefined);
        if (present.length > 1) {
            problems.push({
                input: 'parameters',
                value: present.join(', '),
                problem: `give one of ${present.join(' and ')}, not both: they name the same ${id.replace(/Ids?$/, '')} (an id, or a name the action looks up)`
            });
        }
    }
    if (parameters.environmentId === undefined && parameters.environment === undefined) {
        problems.push({
            input: 'parameters',
            problem: `environmentId or environment is required for operation: ${trigger} (the environment's numeric id, e.g. environmentId: 11210, or its code, e.g. environment: PROD)`
        });
    }
    if (trigger === 'build' &&
        parameters.streamId === undefined &&
        parameters.stream === undefined &&
        parameters.branch === undefined) {
        problems.push({
            input: 'parameters',
            problem: 'streamId, stream or branch is required for operation: build (the project stream’s numeric id, or its name, e.g. stream: main)'
        });
    }
    return problems;
}
function taskIdProblems(deployment) {
    const taskId = deployment.taskId;
    if (deployment.operation !== 'await' || !taskId)
        return [];
    if (/^\s*\d+\s*(,\s*\d+\s*)*$/.test(taskId))
        return [];
    return [
        {
            input: 'task-id',
            value: taskId,
            problem: 'must be FlexDeploy workflow request ids, comma-separated (e.g. 12001,12002)'
        }
    ];
}

;// CONCATENATED MODULE: ./src/drivers/index.ts





/** Every platform of the contract with its driver: a platform missing here is a compile error. */
const DRIVERS = {
    epmware: epmware,
    'mule-mmc': muleMmc,
    'bmc-rpm': bmcRpm,
    mobilefirst: mobilefirst,
    flexdeploy: flexdeploy
};
function definitionOf(platform) {
    return DRIVERS[platform];
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
;// CONCATENATED MODULE: ./src/text/bytes.ts
/** 16777216 → `16 MiB`, 2048 → `2 KiB`, 500 → `500 bytes`: how sizes are printed in messages and markers. */
function describeBytes(bytes) {
    if (bytes >= 1024 * 1024)
        return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
    if (bytes >= 1024)
        return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
    return `${bytes} bytes`;
}

;// CONCATENATED MODULE: ./src/http/path.ts

/** `.`, `..` and their percent-encoded forms: URL parsers resolve them, climbing out of the API's path. */
const DOT_SEGMENT = /^(\.|%2e){1,2}$/i;
/**
 * Refuses a request path that would not stay where the driver put it: a dot segment (from a target or a
 * task id) would be resolved away, and `?` or `#` would end the path early.
 */
function assertContainedPath(path, description) {
    const segments = path.split('/');
    const bad = segments.find(segment => DOT_SEGMENT.test(segment));
    if (bad === undefined && !/[?#]/.test(path))
        return;
    throw new ActionError(`Refused to send ${description}: ${bad === undefined ? 'a ? or #' : `the path segment '${bad}'`} would take the request outside the API path it is meant for`, { hint: 'Check target and task-id: they are sent as one path segment and cannot be . or ..' });
}

;// CONCATENATED MODULE: ./src/http/proxy.ts


/** What the tunnelling agent of @actions/http-client says when the proxy does not open the tunnel. */
const TUNNEL_FAILED = /tunneling socket could not be established/i;
function isProxyFailure(error) {
    return TUNNEL_FAILED.test(errorFields(error).message);
}
/** The proxy a URL goes through, without any credentials, and the variable that named it. */
function proxyOf(url) {
    const configured = (0,lib/* getProxyUrl */.s_)(url);
    if (!configured)
        return undefined;
    let shown;
    try {
        const parsed = new URL(configured);
        shown = `${parsed.protocol}//${parsed.host}`;
    }
    catch {
        shown = 'the configured proxy';
    }
    return { proxy: shown, variable: url.startsWith('https:') ? 'HTTPS_PROXY' : 'HTTP_PROXY' };
}
/**
 * The proxy's failure in the proxy's name: the platform was never reached, so the message must not send
 * the user looking at base-url or the platform's credentials.
 */
function proxyError(description, url, error) {
    const { message } = errorFields(error);
    const via = proxyOf(url) ?? { proxy: 'the proxy', variable: 'HTTPS_PROXY/HTTP_PROXY' };
    const target = new URL(url).host;
    const status = /statusCode=(\d+)/.exec(message)?.[1];
    const cause = /cause=(.*)$/.exec(message)?.[1];
    const what = status
        ? `refused to open a tunnel to ${target} (it answered CONNECT with HTTP ${status})`
        : `could not be reached (${cause ?? message})`;
    const hint = status === '407'
        ? `The proxy wants credentials: put them in ${via.variable} (http://user:password@proxy:port).`
        : `The runner's ${via.variable} sends this request through ${via.proxy}; allow ${target} on the proxy, or add it to NO_PROXY if the runner reaches it directly.`;
    return new ActionError(`${description} failed: the proxy ${via.proxy} (${via.variable}) ${what}`, {
        transient: status === undefined,
        hint,
        cause: error
    });
}

;// CONCATENATED MODULE: ./src/http/redirect.ts

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Where a redirect response points, resolved against the URL that answered; undefined when it is none. */
function redirectTarget(message, current, description) {
    const location = message.headers.location;
    if (!REDIRECT_STATUSES.has(message.statusCode ?? 0) || !location)
        return undefined;
    let next;
    try {
        next = new URL(location, current);
    }
    catch {
        throw new ActionError(`${description} was redirected to an invalid location: ${location.slice(0, 200)}`);
    }
    if (new URL(current).protocol === 'https:' && next.protocol !== 'https:') {
        throw new ActionError(`${description} was redirected from HTTPS to ${next.protocol.replace(':', '')}; refused`, {
            hint: 'A redirect must not downgrade the connection: set base-url to the address the server redirects to.'
        });
    }
    return next;
}
/**
 * A request that must not be sent twice (a trigger, an upload) is never re-sent to a redirect's Location:
 * the server that answered may already have started the job, and a login page must not receive the body.
 * Undefined when the answer is no redirect.
 */
function redirectRefusal(message, current, description, scrub) {
    const status = message.statusCode ?? 0;
    const location = message.headers.location;
    if (!REDIRECT_STATUSES.has(status) || !location)
        return undefined;
    let next;
    try {
        next = new URL(location, current);
    }
    catch {
        next = undefined;
    }
    const from = new URL(current);
    const shown = scrub(next ? `${next.origin}${next.pathname}` : location).slice(0, 200);
    const why = next && from.protocol === 'http:' && next.protocol === 'https:' && next.hostname === from.hostname
        ? 'http → https? The server wants HTTPS: set base-url to https://.'
        : next && LOGIN_PATH.test(next.pathname + next.search)
            ? 'A login page? A single sign-on proxy may sit in front of the API: use an address of the API that is not behind it, or credentials it accepts.'
            : 'Set base-url to the address the API answers at, not one that redirects.';
    return new ActionError(`${description} was answered HTTP ${status} with Location ${shown}; a request that starts or changes something is never sent again to another address, so nothing was sent there`, { httpStatus: status, transient: false, hint: why });
}
const LOGIN_PATH = /log[-_]?in|sign[-_]?in|sso|saml|oauth|auth|cas\/|adfs|idp/i;
/**
 * Credentials travel only to base-url's origin (scheme, host and port): a redirect anywhere else gets the
 * request without the Authorization header and without the token in the query.
 */
function credentialsFor(next, baseOrigin, headers, queryToken) {
    if (next.origin === baseOrigin)
        return { url: next.href, headers };
    const stripped = { ...headers };
    for (const name of Object.keys(stripped)) {
        if (name.toLowerCase() === 'authorization' || name.toLowerCase() === 'cookie')
            delete stripped[name];
    }
    const url = new URL(next);
    if (queryToken) {
        url.searchParams.delete(queryToken.parameter);
        for (const [key, value] of [...url.searchParams]) {
            if (value.includes(queryToken.token))
                url.searchParams.delete(key);
        }
    }
    return { url: url.href, headers: stripped };
}

;// CONCATENATED MODULE: ./src/http/client.ts











const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** A status or trigger answer larger than this is no answer we can use: an error naming the size, never a retry. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const USER_AGENT = 'enterprise-deploy';
/**
 * The one HTTP client: authentication, per-request and step deadlines, retries of reads, redaction of
 * what it says, and bodies parsed into clear errors. Drivers describe requests; this sends them.
 */
class HttpClient {
    options;
    requestTimeoutMs;
    /** What bounds the requests sent from now on: the run's signal and the step's deadline, until a wind-down. */
    phase;
    /** True once a request that must not be repeated (a trigger) was handed to the network. */
    sentUnrepeatable = false;
    constructor(options) {
        this.options = options;
        this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
        this.phase = { signal: options.signal, deadline: options.deadline };
    }
    /**
     * From now on requests answer to a budget of their own: the deadline given and, unless `followRunSignal`,
     * no longer the run's signal (a last read and the log fetch after a timeout or a cancellation must be able
     * to run). Requests already under way keep the bounds they were sent with.
     */
    enterPhase(deadline, options = {}) {
        const budget = AbortSignal.timeout(Math.max(1, deadline - this.options.clock.now()));
        const signal = options.followRunSignal ? AbortSignal.any([this.options.signal, budget]) : budget;
        this.phase = { signal, deadline };
    }
    /** `GET /path?query` with secrets scrubbed: how a request is named in messages. */
    describe(request) {
        return this.options.redactor.scrub(`${request.method} ${request.path}`);
    }
    /** Sends a request (retrying what may be retried) and reads its whole body. Any status is returned. */
    async send(request) {
        return this.withRetries(request, async (signal, limit) => {
            const message = await this.dispatch(request, signal, limit);
            const text = await readText(message, signal, this.describe(request));
            const contentType = String(message.headers['content-type'] ?? '');
            const status = message.statusCode ?? 0;
            const body = status >= 200 && status < 300
                ? parseBody(text, contentType, request.expect ?? 'json', this.describe(request), status)
                : parseErrorBody(text, contentType);
            return { status, headers: message.headers, body, text };
        });
    }
    /** Opens a response to stream (a remote log). The body is the caller's to consume or destroy. */
    async stream(request) {
        // Bounded by the step's deadline and by idleness (the socket timeout), not by the per-request timeout:
        // a large log legitimately takes longer than one status read.
        return this.withRetries(request, async (signal) => {
            const idle = Number.isFinite(this.timeoutOf(request))
                ? this.timeoutOf(request)
                : this.requestTimeoutMs;
            const message = await this.dispatch(request, signal, idle);
            return { status: message.statusCode ?? 0, headers: message.headers, stream: message };
        }, false);
    }
    async withRetries(request, attempt, boundedByRequestTimeout = true) {
        const { clock } = this.options;
        const attempts = this.options.retry?.attempts ?? 5;
        const idempotent = request.idempotent ?? request.method === 'GET';
        for (let tried = 1;; tried++) {
            const remaining = this.phase.deadline - clock.now();
            if (remaining <= 0)
                throw this.deadlineError(request);
            const limit = boundedByRequestTimeout ? Math.min(this.timeoutOf(request), remaining) : remaining;
            const signal = AbortSignal.any([this.phase.signal, AbortSignal.timeout(limit)]);
            let failure;
            try {
                const response = await attempt(signal, limit);
                if (!RETRYABLE_STATUSES.has(response.status) || !idempotent)
                    return response;
                if (tried >= attempts)
                    return response;
                if ('stream' in response)
                    response.stream.destroy();
                failure = {
                    reason: `HTTP ${response.status}`,
                    retryAfter: retryAfterMs(response.headers['retry-after'], Date.now()),
                    error: new ActionError(`${this.describe(request)} answered HTTP ${response.status}`, {
                        httpStatus: response.status,
                        transient: true
                    })
                };
            }
            catch (error) {
                if (this.phase.signal.aborted)
                    throw this.phase.signal.reason ?? error;
                const reached = !neverReachedServer(error);
                if (error instanceof UnreadableBodyError && error.garbled && idempotent && tried < attempts) {
                    failure = { reason: `HTTP ${error.httpStatus ?? 200} with a body that could not be read`, error };
                }
                else {
                    const actionError = this.networkError(request, error, signal);
                    if (error instanceof ActionError)
                        throw error;
                    if (!actionError.transient)
                        throw actionError;
                    if (!isNetworkError(error) && !isAbortError(error))
                        throw actionError;
                    if ((!idempotent && reached) || tried >= attempts)
                        throw actionError;
                    failure = { reason: actionError.message, error: actionError };
                }
            }
            const delay = Math.max(failure.retryAfter ?? 0, backoffDelay(tried, this.options.retry?.baseDelayMs ?? 500, this.options.retry?.maxDelayMs ?? 30_000));
            if (clock.now() + delay >= this.phase.deadline)
                throw failure.error;
            this.options.onRetry?.(this.options.redactor.scrub(`${failure.reason}; retrying ${this.describe(request)} in ${Math.round(delay / 100) / 10}s (attempt ${tried + 1} of ${attempts})`));
            await clock.sleep(delay, this.phase.signal);
        }
    }
    timeoutOf(request) {
        return request.timeoutMs ?? this.requestTimeoutMs;
    }
    networkError(request, error, signal) {
        const description = this.describe(request);
        // The library's own socket timeout (set to the same limit) can fire before the signal does.
        const timedOut = (signal.aborted && isAbortError(signal.reason)) || /^Request timeout:/.test(errorFields(error).message);
        if (timedOut) {
            const idempotent = request.idempotent ?? request.method === 'GET';
            const limit = this.timeoutOf(request);
            const within = Number.isFinite(limit) ? `within ${formatDuration(limit)}` : "before the step's timeout";
            return new ActionError(`${description} got no answer ${within}`, {
                transient: true,
                hint: idempotent
                    ? undefined
                    : 'The server may have received it and started the job: check the platform before running the step again (the action never sends it twice).',
                cause: error
            });
        }
        if (isProxyFailure(error))
            return proxyError(description, this.url(request), error);
        const fields = errorFields(error);
        const detail = this.options.redactor.scrub(fields.message);
        const code = fields.code;
        const tlsHint = /certificate|self[- ]signed|unable to verify/i.test(detail)
            ? 'The server uses a certificate this runner does not trust: give its CA with ca-certificate (PEM text or a file path).'
            : undefined;
        return new ActionError(`${description} failed: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}`, {
            transient: isNetworkError(error),
            hint: tlsHint ??
                (code === 'ECONNREFUSED' || code === 'ENOTFOUND'
                    ? 'Check base-url and that the server is reachable from the runner.'
                    : undefined),
            cause: error
        });
    }
    deadlineError(request) {
        return new ActionError(`The step's timeout ran out before ${this.describe(request)} could be sent`, {
            transient: false
        });
    }
    url(request) {
        const url = new URL(this.options.baseUrl + request.path);
        for (const [key, value] of Object.entries(request.query ?? {})) {
            if (value !== undefined)
                url.searchParams.set(key, String(value));
        }
        if (this.options.auth.kind === 'token-query')
            url.searchParams.set(this.options.auth.parameter, this.options.auth.token);
        return url.href;
    }
    headers(request) {
        const accept = { json: 'application/json', xml: 'application/xml, text/xml', text: 'text/plain, */*' }[request.expect ?? 'json'];
        const headers = { accept, ...request.headers };
        const { auth } = this.options;
        // Set as a plain header, not a handler: the library then drops it on a redirect to another host.
        if (auth.kind === 'token-header')
            headers.authorization = `${auth.scheme} ${auth.token}`;
        if (auth.kind === 'basic') {
            headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
        }
        if (request.json !== undefined)
            headers['content-type'] = 'application/json';
        return headers;
    }
    /**
     * Sends one attempt, following redirects itself: the library keeps Authorization on a redirect to the
     * same host name on another port, cannot follow a relative Location, and would re-send a consumed stream.
     */
    async dispatch(request, signal, socketTimeout) {
        const description = this.describe(request);
        assertContainedPath(request.path, description);
        if (!(request.idempotent ?? request.method === 'GET'))
            this.sentUnrepeatable = true;
        const data = request.json !== undefined ? JSON.stringify(request.json) : (request.body ?? null);
        const allHeaders = this.headers(request);
        const baseOrigin = new URL(this.options.baseUrl).origin;
        const { auth } = this.options;
        const queryToken = auth.kind === 'token-query' ? auth : undefined;
        let url = this.url(request);
        let headers = allHeaders;
        for (let redirects = 0;; redirects++) {
            const client = new lib/* HttpClient */.Qq(USER_AGENT, [this.requestHandler(signal)], {
                allowRetries: false,
                allowRedirects: false,
                socketTimeout,
                keepAlive: false,
                ignoreSslError: this.options.tls?.insecureSkipTlsVerify ?? false
            });
            const { message } = await client.request(request.method, url, data, headers);
            if (!(request.idempotent ?? request.method === 'GET')) {
                const refusal = redirectRefusal(message, url, description, text => this.options.redactor.scrub(text));
                if (refusal) {
                    message.destroy();
                    throw refusal;
                }
                return message;
            }
            const next = typeof data === 'object' && data !== null ? undefined : redirectTarget(message, url, description);
            if (!next)
                return message;
            message.destroy();
            if (redirects >= MAX_REDIRECTS) {
                throw new ActionError(`${description} was redirected more than ${MAX_REDIRECTS} times`, {
                    hint: 'Check base-url: it should be the address the API answers at, not one that redirects.'
                });
            }
            ;
            ({ url, headers } = credentialsFor(next, baseOrigin, allHeaders, queryToken));
        }
    }
    requestHandler(signal) {
        const tls = this.options.tls;
        return {
            prepareRequest(options) {
                options.signal = signal;
                const ca = tls?.caCertificate ? [...external_node_tls_.rootCertificates, tls.caCertificate] : undefined;
                if (ca)
                    options.ca = ca;
                if (tls?.insecureSkipTlsVerify)
                    options.rejectUnauthorized = false;
                // Through a proxy the tunnelling agent opens TLS with its own options only, never the request's.
                const agent = options.agent;
                if (agent && typeof agent === 'object' && agent.options && ca)
                    agent.options.ca = ca;
                // The library passes an IPv6 literal with its brackets, which DNS cannot resolve; a tunnel needs them.
                if (agent instanceof (external_node_http_default()).Agent && options.host?.startsWith('['))
                    options.host = options.host.slice(1, -1);
            },
            canHandleAuthentication: () => false,
            handleAuthentication: () => Promise.reject(new Error('not used'))
        };
    }
}
/** Reads a body whole, bounded in size and by the signal (the library's own reader never settles on a reset). */
function readText(message, signal, description) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        let settled = false;
        // The first reason wins: destroying the message makes it report 'aborted' too.
        const fail = (error) => {
            if (settled)
                return;
            settled = true;
            signal.removeEventListener('abort', onAbort);
            reject(error);
            message.destroy();
        };
        const tooLarge = (bytes) => fail(new ActionError(`${description} answered HTTP ${message.statusCode ?? 0} with a body of ${bytes}, more than the ${describeBytes(MAX_BODY_BYTES)} this action reads`, {
            httpStatus: message.statusCode,
            transient: false,
            hint: 'A status or trigger answer this large is not one the platform documents: check base-url, or what the server puts in its messages.'
        }));
        const onAbort = () => fail(signal.reason ?? new Error('aborted'));
        if (signal.aborted)
            return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        const declared = Number(message.headers['content-length']);
        if (Number.isFinite(declared) && declared > MAX_BODY_BYTES)
            return tooLarge(describeBytes(declared));
        message.on('data', (chunk) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES)
                tooLarge(`over ${describeBytes(MAX_BODY_BYTES)}`);
            else
                chunks.push(chunk);
        });
        message.on('error', fail);
        message.on('aborted', () => fail(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
        message.on('end', () => {
            signal.removeEventListener('abort', onAbort);
            if (!message.complete)
                return reject(Object.assign(new Error('response ended early'), { code: 'ECONNRESET' }));
            resolve(Buffer.concat(chunks).toString('utf8'));
        });
    });
}

;// CONCATENATED MODULE: ./src/text/untrusted.ts
/**
 * Text a server wrote (status messages, log lines, error bodies, ids) is data. Before it reaches the step
 * log, an output or the job summary it loses what a terminal, a browser or the runner would act on:
 * control characters, escape sequences, bidi overrides — and in the step log, anything the runner would
 * parse as a workflow command.
 */
/** ANSI CSI sequences (colours, cursor moves), OSC sequences (titles, OSC-8 hyperlinks), other ESC sequences. */
const ESCAPE_SEQUENCES = 
// eslint-disable-next-line no-control-regex
/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?|\x9b[0-?]*[ -/]*[@-~]/g;
/** C0 but tab and newline, DEL, C1, and the bidi embeddings, overrides and isolates (U+202A–E, U+2066–9). */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
/** Zero-width space: after trimming, a line that starts with it is no command (.NET and JS trim neither). */
const BREAK = '\u200b';
/** The text without control characters or escape sequences; tab and newline kept, CR LF and lone CR as newline. */
function stripControls(text) {
    return text.replace(/\r\n?/g, '\n').replace(ESCAPE_SEQUENCES, '').replace(CONTROLS, '');
}
/** A value that must stay on one line (a message in a sentence, a task id, a target): CR and LF become spaces. */
function singleLine(text) {
    return stripControls(text).replace(/\n/g, ' ');
}
/**
 * The runner reads stdout line by line (on `\n` and on `\r`) and takes a line as a command when, trimmed,
 * it starts with `::`, or when it holds `##[` anywhere (the legacy syntax). A zero-width space in front of
 * such a line, and inside every `##[`, leaves it readable and inert.
 */
function neutraliseCommands(text) {
    return text
        .split('\n')
        .map(line => {
        const inert = line.includes('##[') ? line.replace(/##\[/g, `##${BREAK}[`) : line;
        return inert.trimStart().startsWith('::') ? `${BREAK}${inert}` : inert;
    })
        .join('\n');
}
/**
 * Text for an output or the job summary: controls stripped, then secrets scrubbed — in that order, so a
 * secret a server split with an escape sequence is whole again when the scrub looks for it.
 */
function cleanText(text, redactor) {
    return redactor.scrub(stripControls(text));
}
/**
 * The one way text that may hold something a server said reaches the step log (core.info, warning, error,
 * group titles): controls stripped, secrets scrubbed, commands neutralised.
 */
function forStepLog(text, redactor) {
    return neutraliseCommands(cleanText(text, redactor));
}
/** A JSON-like value for an output: controls stripped from every string, then scrubbed and secret fields blanked. */
function cleanValue(value, redactor) {
    return redactor.scrubValue(stripControlsDeep(value));
}
/** Deep copy of a JSON-like value with control characters stripped from every string (keys too). */
function stripControlsDeep(value) {
    if (typeof value === 'string')
        return stripControls(value);
    if (Array.isArray(value))
        return value.map(item => stripControlsDeep(item));
    if (value && typeof value === 'object' && typeof value.toJSON === 'function') {
        return stripControlsDeep(value.toJSON());
    }
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [stripControls(key), stripControlsDeep(inner)]));
    }
    return value;
}

;// CONCATENATED MODULE: ./src/report/progress.ts


const HEARTBEAT_MS = 5 * 60_000;
/** Percent is reported in steps of this size, so a steadily moving job does not print a line per poll. */
const PERCENT_STEP = 10;
/**
 * Turns a stream of status readings into log lines a person reads: one when the state or message changes,
 * when the percent moves by a step, and a heartbeat every five minutes while nothing does — never a
 * line per poll.
 */
class ProgressNarrator {
    print;
    now;
    startedAt;
    lastKey;
    lastPercent;
    lastLineAt = 0;
    constructor(print, now, startedAt) {
        this.print = print;
        this.now = now;
        this.startedAt = startedAt;
    }
    observe(status) {
        const key = [status.state, status.code, status.label, status.message].join('|');
        const now = this.now();
        const percentMoved = status.percent !== undefined &&
            (this.lastPercent === undefined || Math.abs(status.percent - this.lastPercent) >= PERCENT_STEP);
        if (key === this.lastKey && !percentMoved && now - this.lastLineAt < HEARTBEAT_MS)
            return;
        const still = key === this.lastKey && !percentMoved ? 'still ' : '';
        this.lastKey = key;
        this.lastPercent = status.percent ?? this.lastPercent;
        this.lastLineAt = now;
        this.print(`[${formatDuration(now - this.startedAt)}] ${still}${describeStatus(status)}`);
    }
}
function describeStatus(status) {
    const label = status.label && status.label !== status.code ? `${status.label} (${status.code})` : status.code;
    const percent = status.percent !== undefined ? ` ${status.percent}%` : '';
    const message = status.message ? ` — ${singleLine(status.message)}` : '';
    return `${label}${percent}${message}`;
}

;// CONCATENATED MODULE: ./src/engine/auth.ts
/** The HTTP authentication a platform uses, built from the deployment's credentials. */
function authFor(definition, deployment) {
    const { token, username, password } = deployment.credentials;
    if (definition.credentials === 'basic')
        return { kind: 'basic', username: username ?? '', password: password ?? '' };
    return definition.tokenPlacement === 'query'
        ? { kind: 'token-query', parameter: 'token', token: token ?? '' }
        : { kind: 'token-header', scheme: definition.tokenScheme ?? 'Bearer', token: token ?? '' };
}

;// CONCATENATED MODULE: ./src/engine/cancel.ts

/** The sentence a platform without a cancel call gets, naming the task that may still be running. */
function noCancelSentence(reason, taskId) {
    return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}: task ${taskId} may still be running on the server.`;
}
/**
 * Asks the platform to cancel, within the signal's budget, where the user allows it and the platform can;
 * says what happened in words for the log and summary.
 */
async function requestRemoteCancel(driver, task, signal, definition, allowed) {
    if (definition.nothingRunsRemotely)
        return { said: definition.noCancelReason ?? 'nothing runs on the server' };
    if (!allowed.enabled) {
        const sentence = `${allowed.input} is false: task ${task.id} keeps running on the server.`;
        return { said: sentence, stillRunning: sentence };
    }
    if (!driver.cancel) {
        const sentence = noCancelSentence(definition.noCancelReason ?? 'this platform has no API to cancel a job', task.id);
        return { said: sentence, stillRunning: sentence };
    }
    try {
        const answer = await driver.cancel(task, signal);
        return { said: `cancel requested for task ${task.id}: ${answer}` };
    }
    catch (error) {
        const sentence = `Could not cancel task ${task.id} (${toActionError(error).message}): it may still be running on the server.`;
        return { said: sentence, stillRunning: sentence };
    }
}

;// CONCATENATED MODULE: ./src/engine/dry-run.ts

/** `dry-run: true`: the driver's checks instead of a trigger; `succeeded` only when every check passes. */
async function dryRunDeployment(driver, signal, result) {
    const checks = [
        { check: 'inputs valid', ok: true, detail: 'every field parsed and matches the platform' }
    ];
    if (!driver.dryRun) {
        checks.push({
            check: 'dry run supported',
            ok: false,
            detail: `dry run is not supported for ${result.platform} yet; nothing was sent to the server`
        });
    }
    else {
        try {
            checks.push(...(await driver.dryRun(signal)));
        }
        catch (error) {
            checks.push({ check: 'server reachable', ok: false, detail: toActionError(error).message });
        }
    }
    result.checks = checks;
    result.status = checks.every(check => check.ok) ? 'succeeded' : 'failed';
    result.message = `Dry run, nothing triggered: ${checks.map(describeCheck).join('; ')}`;
}
function describeCheck(check) {
    return `${check.ok ? '✓' : '✗'} ${check.check}${check.ok ? '' : ` (${check.detail})`}`;
}

;// CONCATENATED MODULE: ./src/engine/interval.ts
/** How much of a job's age the next wait may be: a job noticed late by at most 10 % of its age. */
const AGE_FRACTION = 0.1;
/**
 * The wait before the next status read: short while the job is young, longer as it ages — 10 % of its age,
 * never under `min` nor over `max`. A job that ends is noticed within max(min, 10 % of its age).
 */
function nextPollDelay(ageMs, minMs, maxMs) {
    return Math.min(maxMs, Math.max(minMs, Math.round(ageMs * AGE_FRACTION)));
}

;// CONCATENATED MODULE: ./src/engine/poll.ts


const DEFAULT_TRANSIENT_TOLERANCE_MS = 5 * 60_000;
/**
 * Reads the job's status until it ends, the deadline passes or the run is cancelled. Passing faults
 * (network, 5xx, 429 after the client's own retries) are tolerated for a while; anything else ends the
 * step with the error.
 */
async function pollUntilDone(options) {
    const { clock, signal, deadline } = options;
    const tolerance = options.transientToleranceMs ?? DEFAULT_TRANSIENT_TOLERANCE_MS;
    let last;
    let failingSince;
    for (;;) {
        if (signal.aborted)
            return { kind: 'aborted', last };
        const delay = last?.nextReadInMs ??
            nextPollDelay(clock.now() - options.startedAt, options.minIntervalMs, options.maxIntervalMs);
        const wait = Math.min(delay, deadline - clock.now());
        if (wait > 0) {
            try {
                await clock.sleep(wait, signal);
            }
            catch {
                return { kind: 'aborted', last };
            }
        }
        if (clock.now() >= deadline)
            return { kind: 'timed-out', last };
        try {
            last = await options.read(signal);
            failingSince = undefined;
        }
        catch (error) {
            if (signal.aborted)
                return { kind: 'aborted', last };
            const failure = toActionError(error);
            if (clock.now() >= deadline)
                return { kind: 'timed-out', last };
            if (!failure.transient)
                throw failure;
            failingSince ??= clock.now();
            if (clock.now() - failingSince >= tolerance) {
                throw new ActionError(`${failure.message} (status reads kept failing for ${Math.round(tolerance / 1000)}s)`, {
                    hint: failure.hint,
                    httpStatus: failure.httpStatus
                });
            }
            options.onTransientError(failure);
            continue;
        }
        options.onStatus(last);
        if (last.state !== 'running')
            return { kind: 'ended', status: last };
    }
}

;// CONCATENATED MODULE: ./src/engine/wind-down.ts
/**
 * The wind-down: what the engine still does once the deadline has passed or the run was cancelled — one
 * last status read, the remote cancel, the log fetch — each inside a budget of its own, never tied to the
 * run's (already aborted) signal nor to the (already passed) deadline.
 */
/**
 * The runner kills a step 7.5 s after its SIGINT; the engine's share leaves time to write the outputs, the
 * summary and the GitHub deployment's status.
 */
const SIGNAL_WIND_DOWN_MS = 5000;
/** After the timeout: the few seconds past `timeout` that a last read, a cancel and the log may take. */
const TIMEOUT_WIND_DOWN_MS = 10_000;
/** Shares of the budget, in order: a hanging last read cannot take the cancel's or the log's time. */
const SHARE = { 'last read': 0.3, cancel: 0.3, log: 0.4 };
const ORDER = ['last read', 'cancel', 'log'];
/** Clock times at which each step of a wind-down that starts at `start` with `budgetMs` must end. */
function windDownDeadlines(start, budgetMs) {
    let at = start;
    const deadlines = {};
    for (const step of ORDER) {
        at += Math.round(budgetMs * SHARE[step]);
        deadlines[step] = at;
    }
    deadlines.log = start + budgetMs;
    return deadlines;
}

;// CONCATENATED MODULE: ./src/engine/execute.ts










const OUTCOME_OF_STATE = {
    succeeded: 'succeeded',
    failed: 'failed',
    canceled: 'canceled',
    skipped: 'skipped',
    'timed-out': 'timed-out'
};
/** Runs one deployment from trigger to outcome. Never throws: every end becomes a result. */
async function executeDeployment(deployment, env) {
    const definition = definitionOf(deployment.platform);
    const startedAt = env.clock.now();
    const result = {
        name: deployment.name,
        platform: deployment.platform,
        operation: deployment.operation,
        target: deployment.target,
        status: 'failed',
        message: '',
        durationSeconds: 0,
        logTail: [],
        warnings: [],
        followUps: []
    };
    const finish = () => {
        result.durationSeconds = Math.round((env.clock.now() - startedAt) / 1000);
        result.message = env.redactor.scrub(result.message);
        result.details = env.redactor.scrubValue(result.details);
        return result;
    };
    const deadline = startedAt + deployment.timeoutMs;
    const http = new HttpClient({
        baseUrl: deployment.baseUrl,
        auth: authFor(definition, deployment),
        redactor: env.redactor,
        clock: env.clock,
        signal: env.signal,
        deadline,
        tls: deployment.tls,
        onRetry: message => env.log.info(message),
        ...env.http
    });
    const driver = definition.create({
        deployment,
        http,
        log: env.log,
        clock: env.clock,
        deadline,
        files: env.saveFile
    });
    if (env.signal.aborted) {
        result.status = 'canceled';
        result.message = 'The workflow run was cancelled before anything was sent to the server';
        return finish();
    }
    if (deployment.dryRun) {
        await dryRunDeployment(driver, env.signal, result);
        return finish();
    }
    const run = new DeploymentRun(deployment, definition, driver, http, env, result, startedAt, deadline);
    try {
        await run.execute();
    }
    catch (error) {
        const failure = toActionError(error);
        if (env.signal.aborted) {
            result.status = 'canceled';
            result.message ||= http.sentUnrepeatable
                ? 'The workflow run was cancelled while the trigger was being sent: the server may have received it and started the job; check the platform before running the step again'
                : 'The workflow run was cancelled before the trigger was sent: nothing was started';
        }
        else {
            result.status = 'failed';
            result.message = failure.message;
            result.hint = failure.hint;
        }
    }
    return finish();
}
class DeploymentRun {
    deployment;
    definition;
    driver;
    http;
    env;
    result;
    startedAt;
    deadline;
    constructor(deployment, definition, driver, http, env, result, startedAt, deadline) {
        this.deployment = deployment;
        this.definition = definition;
        this.driver = driver;
        this.http = http;
        this.env = env;
        this.result = result;
        this.startedAt = startedAt;
        this.deadline = deadline;
    }
    async execute() {
        const { deployment, driver, env } = this;
        let task;
        if (deployment.operation === 'await') {
            task = driver.resume(deployment.taskId ?? '');
            env.log.info(`Watching task ${task.id} started earlier`);
        }
        else {
            const started = await driver.start(env.signal);
            if (started.kind === 'final') {
                if (started.task)
                    this.accept(started.task);
                this.applyStatus(started.status);
                this.result.status = this.finalOutcome(started.status);
                if (started.task && started.status.state !== 'running')
                    await this.fetchLogAfterEnd(started.task);
                return;
            }
            task = started.task;
            if (started.message)
                env.log.info(started.message);
        }
        this.accept(task);
        if (!deployment.wait && deployment.operation !== 'await') {
            this.result.status = 'started';
            this.result.message = `Task ${task.id} accepted; not waiting for it (wait: false)`;
            return;
        }
        const narrator = new ProgressNarrator(line => env.log.info(line), () => env.clock.now(), this.startedAt);
        const polled = await pollUntilDone({
            clock: env.clock,
            signal: env.signal,
            deadline: this.deadline,
            startedAt: this.startedAt,
            minIntervalMs: deployment.pollIntervalMs,
            maxIntervalMs: deployment.maxPollIntervalMs,
            read: signal => driver.status(task, signal),
            onStatus: status => {
                this.applyStatus(status);
                narrator.observe(status);
            },
            onTransientError: error => env.log.warning(`Status read failed, will try again: ${error.message}`)
        });
        if (polled.kind === 'ended')
            return this.concludeEnded(task, polled.status);
        await this.windDown(task, polled);
    }
    accept(task) {
        this.result.taskId = task.id;
        this.result.url = task.url ?? this.result.url;
        this.env.onAccepted(this.deployment, task);
    }
    applyStatus(status) {
        const { result } = this;
        result.remoteCode = status.code;
        result.remoteLabel = status.label;
        result.percent = status.percent ?? result.percent;
        result.message = status.message ?? result.message;
        result.details = status.details ?? result.details;
        result.url = status.url ?? result.url;
        result.exportFile = status.exportFile ?? result.exportFile;
        if (status.warning && !result.warnings.includes(status.warning))
            result.warnings.push(status.warning);
    }
    finalOutcome(status) {
        if (status.state === 'running')
            return 'started';
        if (status.state === 'skipped' && this.deployment.failOnNoop) {
            this.result.message = `${status.message ?? 'The platform did nothing'} (a failure because fail-on-noop is true)`;
            return 'failed';
        }
        return OUTCOME_OF_STATE[status.state];
    }
    async concludeEnded(task, status) {
        const { result } = this;
        result.status = this.finalOutcome(status);
        result.message ||= `Task ${task.id} ended: ${status.label ?? status.code}`;
        await this.fetchLogAfterEnd(task);
        if (result.status === 'failed')
            await this.runFollowUp();
    }
    /**
     * The deadline passed or the run was cancelled: a last read (a job that ended counts as ended), the cancel
     * where the platform has one, the log — each inside the wind-down's own budget — then the report.
     */
    async windDown(task, polled) {
        const { result, deployment, env, http } = this;
        const aborted = polled.kind === 'aborted';
        const budget = aborted
            ? (env.windDown?.afterSignalMs ?? SIGNAL_WIND_DOWN_MS)
            : (env.windDown?.afterTimeoutMs ?? TIMEOUT_WIND_DOWN_MS);
        const until = windDownDeadlines(env.clock.now(), budget);
        const signalUntil = (at) => AbortSignal.timeout(Math.max(1, at - env.clock.now()));
        http.enterPhase(until['last read']);
        let last = polled.last;
        try {
            last = await this.driver.status(task, signalUntil(until['last read']));
            this.applyStatus(last);
        }
        catch (error) {
            env.log.info(`The last status read of task ${task.id} failed: ${toActionError(error).message}`);
        }
        if (last && last.state !== 'running') {
            env.log.info(`Task ${task.id} had ended by the ${aborted ? 'cancellation' : 'deadline'}: ${last.label ?? last.code}`);
            result.status = this.finalOutcome(last);
            result.message ||= `Task ${task.id} ended: ${last.label ?? last.code}`;
            http.enterPhase(until.log);
            await this.fetchLog(task, signalUntil(until.log));
            return;
        }
        http.enterPhase(until.cancel);
        const cancel = await requestRemoteCancel(this.driver, task, signalUntil(until.cancel), this.definition, aborted
            ? { enabled: deployment.cancelOnAbort, input: 'cancel-on-abort' }
            : { enabled: deployment.cancelOnTimeout, input: 'cancel-on-timeout' });
        if (cancel.stillRunning)
            env.log.warning(cancel.stillRunning);
        else
            env.log.info(cancel.said);
        const lastSeen = last ? ` (last status: ${last.label ?? last.code})` : '';
        if (aborted) {
            result.status = 'canceled';
            result.message = `The workflow run was cancelled while task ${task.id} ran${lastSeen}. ${cancel.said}`;
        }
        else {
            // A failure the driver already knew (RemoteStatus.failure, e.g. one FlexDeploy request of several was
            // rejected while another still ran) is not hidden by the timeout.
            const failure = last?.state === 'running' ? last.failure : undefined;
            const waited = formatDuration(deployment.timeoutMs);
            result.status = failure ? 'failed' : 'timed-out';
            result.message = failure
                ? `${failure} within the timeout of ${waited}. ${cancel.said}`
                : `Task ${task.id} did not finish within the timeout of ${waited}${lastSeen}. ${cancel.said}`;
        }
        http.enterPhase(until.log);
        await this.fetchLog(task, signalUntil(until.log));
    }
    /** After a normal end the log may take the rest of the timeout and the wind-down's few seconds past it. */
    async fetchLogAfterEnd(task) {
        const { env } = this;
        const until = Math.max(this.deadline, env.clock.now()) + (env.windDown?.afterTimeoutMs ?? TIMEOUT_WIND_DOWN_MS);
        this.http.enterPhase(until, { followRunSignal: true });
        const bound = AbortSignal.any([env.signal, AbortSignal.timeout(Math.max(1, until - env.clock.now()))]);
        await this.fetchLog(task, bound);
    }
    /** Saves the remote log; a log that cannot be read is a warning, never the step's outcome. */
    async fetchLog(task, signal) {
        if (!this.driver.log)
            return;
        const { env, result } = this;
        try {
            const stream = await this.driver.log(task, signal);
            if (!stream)
                return;
            const saved = await env.saveLog(stream, `${result.name}-${task.id}.log`, signal);
            result.logFile = saved.file;
            result.logTail = saved.tail;
            if (saved.cut)
                env.log.warning(`The remote log of task ${task.id} is incomplete: ${saved.cut}`);
        }
        catch (error) {
            env.log.warning(`Could not read the remote log of task ${task.id}: ${toActionError(error).message}`);
        }
    }
    async runFollowUp() {
        const followUp = this.driver.followUpOnFailure?.();
        if (!followUp)
            return;
        this.env.log.info(`Running ${followUp.name} because ${this.deployment.name} failed`);
        const remaining = this.deadline - this.env.clock.now();
        if (remaining <= 0) {
            this.result.message += `; ${followUp.name} was not started: the timeout ran out`;
            return;
        }
        const followed = await executeDeployment({ ...followUp, timeoutMs: remaining }, this.env);
        this.result.followUps.push(followed);
        this.result.message += `; ${followed.name} ${followed.status}`;
    }
}

;// CONCATENATED MODULE: ./src/engine/result.ts
/** Every deployment of the step, rollbacks included, in the order they ran. */
function flatten(results) {
    return results.flatMap(result => [result, ...flatten(result.followUps)]);
}
/** The worst outcome among several: what the step as a whole reports. */
function overallStatus(results) {
    const order = ['failed', 'timed-out', 'canceled', 'started', 'skipped', 'succeeded'];
    const statuses = new Set(results.map(result => result.status));
    return order.find(status => statuses.has(status)) ?? 'succeeded';
}
/**
 * The deployment that speaks for the step: the only one, or with several the first whose outcome is the
 * overall one (the failure that failed the step); its log file, details and url are the step's.
 */
function decidingResult(results) {
    const all = flatten(results);
    if (results.length <= 1)
        return results[0];
    const overall = overallStatus(all);
    return all.find(result => result.status === overall) ?? results[0];
}
/** The result of a deployment that never started (a dependency failed, the run was cancelled). */
function notRunResult(deployment, status, message) {
    return {
        name: deployment.name,
        platform: deployment.platform,
        operation: deployment.operation,
        target: deployment.target,
        status,
        message,
        durationSeconds: 0,
        logTail: [],
        warnings: [],
        followUps: []
    };
}

;// CONCATENATED MODULE: ./src/github/context.ts
/** The run's context, or why there is none (the step then warns and deploys without a GitHub deployment). */
function githubRunContext(env) {
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo)
        return { missing: 'GITHUB_REPOSITORY is not set' };
    const ref = env.GITHUB_SHA || env.GITHUB_REF;
    if (!ref)
        return { missing: 'neither GITHUB_SHA nor GITHUB_REF is set' };
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const runUrl = `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
    const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
    return { context: { apiUrl, owner, repo, ref, runUrl } };
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 12 modules
var lib_core = __webpack_require__(143);
;// CONCATENATED MODULE: ./src/host/actions.ts


/**
 * The GitHub runner: inputs from `INPUT_*`, workflow commands on stdout, outputs to `GITHUB_OUTPUT`, the
 * summary to `GITHUB_STEP_SUMMARY`. When `GITHUB_OUTPUT` cannot be written, each output goes out as the older
 * `set-output` command instead, so `status` still reaches the workflow.
 */
function actionsHost() {
    let outputFileWarned = false;
    return {
        input: name => lib_core/* getInput */.V4(name),
        info: message => lib_core/* info */.pq(message),
        debug: message => lib_core/* debug */.Yz(message),
        warning: (message, annotation) => lib_core/* warning */.$e(message, properties(annotation)),
        error: (message, annotation) => lib_core/* error */.z3(message, properties(annotation)),
        fail: (message, annotation) => {
            // setFailed is exitCode 1 and an error annotation, which takes no title: the same, titled.
            if (!annotation)
                return lib_core/* setFailed */.C1(message);
            process.exitCode = lib_core/* ExitCode */.yU.Failure;
            lib_core/* error */.z3(message, properties(annotation));
        },
        group: (name, body) => lib_core/* group */.Os(name, body),
        mask: form => lib_core/* setSecret */.Pq(form),
        setOutput: (name, value) => {
            try {
                lib_core/* setOutput */.uH(name, value);
            }
            catch (error) {
                process.stdout.write(`::set-output name=${name}::${escapeCommandData(value)}\n`);
                if (outputFileWarned)
                    return;
                outputFileWarned = true;
                lib_core/* warning */.$e(`Could not write the step's outputs to GITHUB_OUTPUT (${errorFields(error).message}); sent them as set-output commands`);
            }
        },
        appendSummary: async (markdown) => {
            await lib_core/* summary */.z.addRaw(markdown, true).write();
        }
    };
}
function properties(annotation) {
    if (!annotation)
        return undefined;
    return {
        title: annotation.title,
        file: annotation.file,
        startLine: annotation.line,
        startColumn: annotation.column
    };
}
function escapeCommandData(value) {
    return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

;// CONCATENATED MODULE: ./src/github/deployment.ts

/** How the step's overall outcome shows on the Environments page; `started` stays in_progress (nobody waited). */
const STATE_OF = {
    succeeded: 'success',
    skipped: 'success',
    failed: 'failure',
    'timed-out': 'failure',
    canceled: 'error',
    started: undefined
};
/** GitHub cuts a status description at 140 characters. */
const DESCRIPTION_LIMIT = 140;
/** Creating the deployment (and marking it in_progress) may take this long; the trigger never waits for it. */
const START_BUDGET_MS = 5_000;
/** The final status without a caller's deadline. */
const FINISH_TIMEOUT_MS = 5_000;
/** How much of an answer a message quotes. */
const QUOTED_BYTES = 120;
/** The runner sends SIGKILL this long after SIGINT/SIGTERM (7.5 s); the report needs the last second. */
const RUNNER_GRACE_MS = 7_500;
const REPORT_RESERVE_MS = 1_000;
/**
 * What the final status may take: after a signal, what is left of the runner's grace period (less a second
 * for the report); otherwise its own few seconds, never ending later than a few seconds past the step's
 * deadline (at least a second, so a run that used all of its time still tries once).
 */
function finishBudgetMs(times) {
    if (times.signalledAt !== undefined)
        return Math.max(0, times.signalledAt + RUNNER_GRACE_MS - REPORT_RESERVE_MS - times.now);
    return Math.min(FINISH_TIMEOUT_MS, Math.max(1_000, times.stepDeadline + FINISH_TIMEOUT_MS - times.now));
}
/**
 * A GitHub deployment for the step's environment. Every API failure becomes a warning: the Environments
 * page is a view of the deployment, never a reason to fail one. Every call is bounded: by its own budget,
 * the caller's deadline and the caller's signal.
 */
class GitHubDeployment {
    octokit;
    context;
    environment;
    id;
    log;
    constructor(octokit, context, environment, id, log) {
        this.octokit = octokit;
        this.context = context;
        this.environment = environment;
        this.id = id;
        this.log = log;
    }
    /**
     * Creates the deployment and marks it in_progress, both within START_BUDGET_MS (or the budget given);
     * undefined (after a warning) when GitHub refuses, answers something else than JSON, or does not answer.
     */
    static async start(token, environment, context, log, budget = {}) {
        const bound = boundOf(budget, START_BUDGET_MS);
        try {
            // Loaded only when asked for: octokit would otherwise slow every step's start.
            const { getOctokit } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
            const octokit = getOctokit(token, { baseUrl: context.apiUrl });
            const created = (await octokit.rest.repos.createDeployment({
                owner: context.owner,
                repo: context.repo,
                ref: context.ref,
                environment,
                auto_merge: false,
                required_contexts: [],
                transient_environment: false,
                description: `Enterprise Deploy to ${environment}`,
                request: { signal: bound.signal }
            }));
            const data = jsonObject(created);
            if (typeof data.id !== 'number') {
                const said = typeof data.message === 'string' ? data.message : `HTTP ${created.status} without an id`;
                log.warning(`GitHub did not create a deployment for ${environment}: ${said}`);
                return undefined;
            }
            const deployment = new GitHubDeployment(octokit, context, environment, data.id, log);
            log.info(`GitHub deployment ${deployment.id} created for environment ${environment}`);
            await deployment.setStatus('in_progress', `Deploying to ${environment}`, undefined, bound);
            return deployment;
        }
        catch (error) {
            log.warning(`Could not create a GitHub deployment for ${environment}: ${bound.why(error)}`);
            return undefined;
        }
        finally {
            bound.dispose();
        }
    }
    /**
     * Sets the final state from the step's outcome, with the platform's link where there is one, within the
     * budget (the step's deadline, or what is left of the runner's grace period after a signal). When it
     * cannot be sent, a warning says the deployment is left in_progress and why.
     */
    async finish(status, description, environmentUrl, budget = {}) {
        const state = STATE_OF[status];
        if (!state) {
            this.log.info(`GitHub deployment ${this.id} stays in_progress: the jobs were started without waiting`);
            return;
        }
        const bound = boundOf(budget, FINISH_TIMEOUT_MS);
        try {
            await this.setStatus(state, description, environmentUrl, bound);
        }
        finally {
            bound.dispose();
        }
    }
    async setStatus(state, description, environmentUrl, bound) {
        const leftAs = state === 'in_progress' ? 'is not marked in_progress' : 'is left in_progress';
        if (bound.signal.aborted) {
            this.log.warning(`GitHub deployment ${this.id} ${leftAs}: ${state} was not sent, ${bound.why(bound.signal.reason)}`);
            return;
        }
        try {
            const answer = (await this.octokit.rest.repos.createDeploymentStatus({
                owner: this.context.owner,
                repo: this.context.repo,
                deployment_id: this.id,
                state,
                log_url: this.context.runUrl,
                ...(environmentUrl ? { environment_url: environmentUrl } : {}),
                description: oneLine(description),
                request: { signal: bound.signal }
            }));
            jsonObject(answer);
            this.log.info(`GitHub deployment ${this.id} (${this.environment}): ${state}`);
        }
        catch (error) {
            this.log.warning(`GitHub deployment ${this.id} ${leftAs}: setting it to ${state} failed: ${bound.why(error)}`);
        }
    }
}
function boundOf(budget, ownMs) {
    const ms = Math.max(0, Math.min(ownMs, budget.timeoutMs ?? Infinity));
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(new Error('timeout')), ms);
    if (ms <= 0)
        timer.abort(new Error('timeout'));
    const signal = budget.signal ? AbortSignal.any([budget.signal, timer.signal]) : timer.signal;
    return {
        signal,
        why(error) {
            if (budget.signal?.aborted)
                return 'the run was cancelled before GitHub answered';
            if (timer.signal.aborted) {
                if (ms <= 0)
                    return 'no time was left for it (the step’s deadline or the runner’s grace period)';
                return ms < ownMs
                    ? `GitHub did not answer within the ${seconds(ms)} left (the step’s deadline or the runner’s grace period)`
                    : `GitHub did not answer within ${seconds(ms)}`;
            }
            return describeFailure(error);
        },
        dispose: () => clearTimeout(handle)
    };
}
function seconds(ms) {
    return `${Math.round(ms / 100) / 10} s`;
}
/** The answer's JSON object; anything else (a proxy's HTML page) is an error quoting its first bytes. */
function jsonObject(answer) {
    const type = String(answer.headers['content-type'] ?? '');
    if (/^application\/(.+\+)?json/i.test(type) && answer.data && typeof answer.data === 'object')
        return answer.data;
    throw new GitHubAnswerError(answer.status, type, answer.data);
}
class GitHubAnswerError extends Error {
    constructor(status, type, data) {
        super(`GitHub answered HTTP ${status} ${mediaType(type)}: ${quote(data)}`);
    }
}
function mediaType(type) {
    return type.split(';')[0]?.trim() || 'without a content type';
}
function quote(data) {
    const text = typeof data === 'string'
        ? data
        : data instanceof ArrayBuffer
            ? Buffer.from(data).toString('utf8')
            : (JSON.stringify(data) ?? '');
    const line = text.replace(/\s+/g, ' ').trim();
    if (!line)
        return '(empty)';
    return line.length > QUOTED_BYTES ? `${line.slice(0, QUOTED_BYTES)}…` : line;
}
function oneLine(text) {
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length > DESCRIPTION_LIMIT ? `${line.slice(0, DESCRIPTION_LIMIT - 1)}…` : line;
}
function describeFailure(error) {
    if (error instanceof GitHubAnswerError)
        return error.message;
    const status = error?.status;
    const response = error?.response;
    const headers = response?.headers ?? {};
    const { message } = errorFields(error);
    const limit = rateLimit(status, headers, message);
    if (limit)
        return limit;
    const type = String(headers['content-type'] ?? '');
    if (typeof status === 'number' && response && !/json/i.test(type))
        return new GitHubAnswerError(status, type, response.data).message;
    if (status === 403 || status === 404) {
        return `${message} (HTTP ${status}); the job needs \`permissions: deployments: write\` and a github-token that may use it`;
    }
    return typeof status === 'number' ? `${message} (HTTP ${status})` : message;
}
/** A 403 or 429 that GitHub's headers (or words) say is a rate limit, named as one, with when it lifts. */
function rateLimit(status, headers, message) {
    if (status !== 403 && status !== 429)
        return undefined;
    const remaining = headers['x-ratelimit-remaining'];
    const retryAfter = headers['retry-after'];
    const limited = String(remaining) === '0' || retryAfter !== undefined || /rate limit/i.test(message) || status === 429;
    if (!limited)
        return undefined;
    const facts = [`HTTP ${status}`];
    if (remaining !== undefined)
        facts.push(`x-ratelimit-remaining: ${remaining}`);
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset) && reset > 0)
        facts.push(`it resets at ${new Date(reset * 1000).toISOString().slice(11, 19)} UTC`);
    if (retryAfter !== undefined)
        facts.push(`retry-after: ${retryAfter} s`);
    return `GitHub's API rate limit for this token is used up (${facts.join('; ')}), not a missing permission`;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
;// CONCATENATED MODULE: ./src/inputs/small-file.ts

/** What a file named by an input may be at most; a config file or a CA bundle is far smaller. */
const MAX_INPUT_FILE_BYTES = 1024 * 1024;
/**
 * Reads a text file named by an input. Only a regular file of reasonable size: a device (/dev/zero), a FIFO
 * or a huge file would otherwise hang the step or exhaust its memory. Throws with the reason in words.
 */
function readSmallTextFile(file, maxBytes = MAX_INPUT_FILE_BYTES) {
    const stats = (0,external_node_fs_.statSync)(file);
    if (!stats.isFile())
        throw new Error(`${file} is not a regular file`);
    if (stats.size > maxBytes)
        throw new Error(`${file} is ${stats.size} bytes, more than the ${maxBytes} allowed`);
    return (0,external_node_fs_.readFileSync)(file, 'utf8');
}

;// CONCATENATED MODULE: ./src/inputs/certificate.ts



/** `ca-certificate` holds PEM text, or the path of a PEM file relative to the workspace. */
function readCaCertificate(value, workspace, problems) {
    if (value === undefined || value.includes('-----BEGIN CERTIFICATE-----'))
        return value;
    const file = external_node_path_default().resolve(workspace, value.trim());
    try {
        const text = readSmallTextFile(file);
        if (text.includes('-----BEGIN CERTIFICATE-----'))
            return text;
        problems.push({
            input: 'ca-certificate',
            value,
            problem: `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`
        });
    }
    catch (error) {
        const reason = !/ENOENT|EACCES/.test(errorFields(error).message) ? ` (${errorFields(error).message})` : '';
        problems.push({
            input: 'ca-certificate',
            value,
            problem: `is neither PEM text nor the path of a readable PEM file${reason}`
        });
    }
    return undefined;
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/inputs/duration.ts
const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
/**
 * Parses `90s`, `30m`, `2h`, `1h30m`, `1500ms` or a bare number of minutes into milliseconds.
 * Returns undefined for anything else, so the caller can name the input in its message.
 */
function parseDuration(text) {
    const value = text.trim().toLowerCase();
    if (/^\d+(\.\d+)?$/.test(value))
        return Math.round(Number(value) * UNIT_MS.m);
    if (!/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(value))
        return undefined;
    let total = 0;
    for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
        total += Number(amount) * UNIT_MS[unit];
    }
    return Math.round(total);
}

;// CONCATENATED MODULE: ./src/inputs/schema.ts



const PLATFORMS = ['epmware', 'mule-mmc', 'bmc-rpm', 'mobilefirst', 'flexdeploy'];
const PlatformSchema = schemas/* enum */.k5n(PLATFORMS);
/** Defaults as action.yml declares them; also applied when an input is absent (tests, local runs). */
const INPUT_DEFAULTS = {
    timeout: '60m',
    'poll-interval': '2s',
    'max-poll-interval': '30s',
    wait: 'true',
    'cancel-on-timeout': 'true',
    'cancel-on-abort': 'true',
    'fail-on-noop': 'false',
    'if-busy': 'fail',
    'fail-on-error': 'true',
    'log-lines': '50',
    summary: 'true',
    'insecure-skip-tls-verify': 'false',
    'dry-run': 'false',
    'max-parallel': '4',
    'github-deployment': 'false'
};
const BOOLEAN_WORDS = { true: true, false: false };
const booleanInput = schemas/* string */.YjP().transform((text, ctx) => {
    const value = BOOLEAN_WORDS[text.trim().toLowerCase()];
    if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: 'use true or false' });
        return core/* NEVER */.tm;
    }
    return value;
});
const DURATION_EXAMPLES = 'use a duration such as 90s, 30m, 2h, 1h30m, or a bare number of minutes';
/** The longest `timeout`: 6 days, beyond GitHub's longest job (5 days on a self-hosted runner). */
const MAX_TIMEOUT_MS = 6 * 24 * 3_600_000;
const durationInput = (maxMs = Infinity, why = '') => schemas/* string */.YjP().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0 || (!Number.isFinite(ms) && !Number.isFinite(maxMs))) {
        ctx.addIssue({ code: 'custom', message: DURATION_EXAMPLES });
        return core/* NEVER */.tm;
    }
    if (ms > maxMs) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${formatDuration(maxMs)}${why}` });
        return core/* NEVER */.tm;
    }
    return ms;
});
const integerInput = (min, max) => schemas/* string */.YjP().transform((text, ctx) => {
    const value = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `use a whole number from ${min} to ${max}` });
        return core/* NEVER */.tm;
    }
    return value;
});
const urlInput = schemas/* string */.YjP().transform((text, ctx) => {
    if (/[\r\n]/.test(text.trim())) {
        ctx.addIssue({ code: 'custom', message: 'must be one line but holds a line break (CR or LF)' });
        return core/* NEVER */.tm;
    }
    let url;
    try {
        url = new URL(text.trim());
    }
    catch {
        ctx.addIssue({
            code: 'custom',
            message: 'use an absolute http:// or https:// URL, e.g. https://host/context'
        });
        return core/* NEVER */.tm;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: 'use an http:// or https:// URL' });
        return core/* NEVER */.tm;
    }
    if (url.username || url.password) {
        ctx.addIssue({ code: 'custom', message: 'put credentials in username/password or token, not in the URL' });
        return core/* NEVER */.tm;
    }
    if (url.search || url.hash) {
        ctx.addIssue({ code: 'custom', message: 'use the server root without a query string or fragment' });
        return core/* NEVER */.tm;
    }
    return url.href.replace(/\/+$/, '');
});
const listInput = schemas/* string */.YjP().transform(text => text
    .split(/[\n,]/)
    .map(item => item.trim())
    .filter(Boolean));
const schema_text = schemas/* string */.YjP().transform(value => value.trim());
/** The action's inputs, each parsed from its string form into its typed value. */
const ActionInputsSchema = schemas/* object */.Ikc({
    platform: schemas/* string */.YjP()
        .transform((value, ctx) => {
        const parsed = PlatformSchema.safeParse(value.trim().toLowerCase());
        if (parsed.success)
            return parsed.data;
        ctx.addIssue({ code: 'custom', message: `use one of ${PLATFORMS.join(', ')}` });
        return core/* NEVER */.tm;
    })
        .optional(),
    'base-url': urlInput.optional(),
    operation: schema_text.optional(),
    target: schema_text.optional(),
    parameters: schemas/* string */.YjP().optional(),
    token: schemas/* string */.YjP().optional(),
    username: schemas/* string */.YjP().optional(),
    password: schemas/* string */.YjP().optional(),
    artifacts: listInput.optional(),
    timeout: durationInput(MAX_TIMEOUT_MS, ' (6 days, longer than GitHub lets any job run); use e.g. 30m, 2h or 144h'),
    'poll-interval': durationInput(),
    'max-poll-interval': durationInput(),
    wait: booleanInput,
    'task-id': schema_text.optional(),
    'cancel-on-timeout': booleanInput,
    'cancel-on-abort': booleanInput,
    'fail-on-noop': booleanInput,
    'if-busy': schemas/* string */.YjP().transform((value, ctx) => {
        const word = value.trim().toLowerCase();
        if (word === 'fail' || word === 'await')
            return word;
        ctx.addIssue({ code: 'custom', message: 'use fail or await' });
        return core/* NEVER */.tm;
    }),
    'fail-on-error': booleanInput,
    'log-lines': integerInput(0, 1000),
    summary: booleanInput,
    'ca-certificate': schemas/* string */.YjP().optional(),
    'insecure-skip-tls-verify': booleanInput,
    'dry-run': booleanInput,
    config: schema_text.optional(),
    environment: schema_text.optional(),
    'max-parallel': integerInput(1, 64),
    'github-token': schemas/* string */.YjP().optional(),
    'github-deployment': booleanInput
});
const INPUT_NAMES = Object.keys(ActionInputsSchema.shape);
/** The inputs that describe one deployment: the fields a config file entry may hold. */
const DEPLOYMENT_INPUTS = [
    'platform',
    'base-url',
    'operation',
    'target',
    'parameters',
    'token',
    'username',
    'password',
    'artifacts',
    'timeout',
    'poll-interval',
    'max-poll-interval',
    'wait',
    'task-id',
    'cancel-on-timeout',
    'cancel-on-abort',
    'fail-on-noop',
    'if-busy',
    'ca-certificate',
    'insecure-skip-tls-verify'
];
/** Never written in a config file: read from the environment with `${{ env.NAME }}` (username may be literal). */
const CREDENTIAL_INPUTS = ['token', 'username', 'password'];
/** One deployment, fully resolved: what a driver runs. */
const DeploymentSchema = schemas/* object */.Ikc({
    name: schemas/* string */.YjP(),
    platform: PlatformSchema,
    baseUrl: schemas/* string */.YjP(),
    operation: schemas/* string */.YjP(),
    target: schemas/* string */.YjP().optional(),
    parameters: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J()),
    credentials: schemas/* object */.Ikc({
        token: schemas/* string */.YjP().optional(),
        username: schemas/* string */.YjP().optional(),
        password: schemas/* string */.YjP().optional()
    }),
    artifacts: schemas/* array */.YOg(schemas/* string */.YjP()),
    taskId: schemas/* string */.YjP().optional(),
    timeoutMs: schemas/* number */.aig().int().positive(),
    pollIntervalMs: schemas/* number */.aig().int().positive(),
    maxPollIntervalMs: schemas/* number */.aig().int().positive(),
    wait: schemas/* boolean */.zMY(),
    cancelOnTimeout: schemas/* boolean */.zMY(),
    cancelOnAbort: schemas/* boolean */.zMY(),
    failOnNoop: schemas/* boolean */.zMY(),
    /** When the platform says the same job already runs: fail naming it, or follow it to its end. */
    ifBusy: schemas/* enum */.k5n(['fail', 'await']),
    dryRun: schemas/* boolean */.zMY(),
    tls: schemas/* object */.Ikc({ caCertificate: schemas/* string */.YjP().optional(), insecureSkipTlsVerify: schemas/* boolean */.zMY() }),
    needs: schemas/* array */.YOg(schemas/* string */.YjP())
});
/** What applies to the whole step rather than to one deployment. */
const SettingsSchema = schemas/* object */.Ikc({
    failOnError: schemas/* boolean */.zMY(),
    logLines: schemas/* number */.aig().int().min(0),
    summary: schemas/* boolean */.zMY(),
    maxParallel: schemas/* number */.aig().int().positive(),
    environment: schemas/* string */.YjP().optional(),
    githubToken: schemas/* string */.YjP().optional(),
    githubDeployment: schemas/* boolean */.zMY(),
    /** The config file as the input gave it, when there is one. */
    config: schemas/* string */.YjP().optional(),
    workspace: schemas/* string */.YjP(),
    tempDir: schemas/* string */.YjP()
});
const PlanSchema = schemas/* object */.Ikc({
    deployments: schemas/* array */.YOg(DeploymentSchema).min(1),
    settings: SettingsSchema
});

;// CONCATENATED MODULE: ./src/inputs/config-schema.ts


/** `${{ env.NAME }}`: how a config file reads an environment variable (the only way to give a credential). */
const ENV_REFERENCE = /\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;
const WHOLE_ENV_REFERENCE = new RegExp(`^\\s*${ENV_REFERENCE.source}\\s*$`);
const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const duration = (what) => schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()], {
    error: 'use a duration such as 90s, 30m, 2h, 1h30m, or a number of minutes'
})
    .describe(what);
const config_schema_flag = (what) => schemas/* boolean */.zMY({ error: 'use true or false' }).describe(what);
const secret = (what) => schemas/* string */.YjP({ error: 'use ${{ env.NAME }}' })
    .regex(WHOLE_ENV_REFERENCE, {
    error: 'credentials are never written in the file: use ${{ env.NAME }} and set NAME in the step’s env (e.g. from a secret)'
})
    .describe(what);
/** Fields of one deployment that `defaults` may also hold (everything but its identity and credentials). */
const sharedFields = {
    platform: schemas/* enum */.k5n(PLATFORMS, { error: `use one of ${PLATFORMS.join(', ')}` }).describe('The release tool.'),
    'base-url': schemas/* string */.YjP().describe("The server's root, context path included."),
    operation: schemas/* string */.YjP().describe('What to do; the list and default depend on the platform.'),
    target: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()])
        .describe('What to act on (deployment name, project path or id, event id, runtime).'),
    parameters: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J())
        .describe('Platform-specific fields; unknown keys are an error.'),
    artifacts: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* array */.YOg(schemas/* string */.YjP())])
        .describe('Paths or globs relative to the workspace (MobileFirst deployables).'),
    timeout: duration('Deadline of this deployment: 90s, 30m, 2h, 1h30m or a number of minutes.'),
    'poll-interval': duration('Shortest wait between two status polls.'),
    'max-poll-interval': duration('Longest wait between two status polls.'),
    wait: config_schema_flag('false: trigger, publish the task id, and do not wait.'),
    'task-id': schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]).describe('With operation: await, the job started earlier.'),
    'cancel-on-timeout': config_schema_flag('On timeout, ask the platform to cancel the remote job where it can.'),
    'cancel-on-abort': config_schema_flag('When the run is cancelled, ask the platform to cancel the remote job where it can.'),
    'fail-on-noop': config_schema_flag('A trigger the platform accepted but did nothing for is a failure.'),
    'if-busy': schemas/* enum */.k5n(['fail', 'await'])
        .describe('When the same job already runs on the platform: fail naming it, or await it.'),
    'ca-certificate': schemas/* string */.YjP().describe('PEM text, or a path relative to the workspace, of a CA to trust.'),
    'insecure-skip-tls-verify': config_schema_flag('Skip TLS verification (prints a warning).')
};
const credentialFields = {
    token: secret('API token, as ${{ env.NAME }}.'),
    username: schemas/* string */.YjP().describe('HTTP Basic user: literal or ${{ env.NAME }}.'),
    password: secret('HTTP Basic password, as ${{ env.NAME }}.')
};
const needs = schemas/* array */.YOg(schemas/* string */.YjP()).describe('Names of deployments that must succeed before this one starts.');
/** An environment's overrides: any field of the entry, or a parameter of its platform written directly. */
const EnvironmentOverrideSchema = schemas/* object */.Ikc({ ...sharedFields, ...credentialFields, needs })
    .partial()
    .catchall(schemas/* unknown */.L5J())
    .describe('Overrides for this environment: any field of the entry; parameters merge over the entry’s; a key that is a parameter of the platform (environmentId) overrides that parameter.');
const ConfigEntrySchema = schemas/* strictObject */.rej({
    name: schemas/* string */.YjP({ error: 'is required: a unique name, used by needs and in the results' })
        .regex(NAME_PATTERN, { error: 'use letters, digits, _, . and - (starting with a letter, digit or _)' })
        .describe('Unique name of the deployment, used by needs and in the results.'),
    ...schemas/* object */.Ikc(sharedFields).partial().shape,
    ...schemas/* object */.Ikc(credentialFields).partial().shape,
    needs: needs.optional(),
    environments: schemas/* union */.KCZ([schemas/* array */.YOg(schemas/* string */.YjP()), schemas/* record */.g1P(schemas/* string */.YjP(), EnvironmentOverrideSchema.nullable())], {
        error: 'use a list of environment names, or a mapping of environment name to overrides'
    })
        .optional()
        .describe('Where this entry runs, each with optional overrides; without it, the entry runs in every environment.')
})
    .describe('One deployment.');
const ConfigDefaultsSchema = schemas/* strictObject */.rej(schemas/* object */.Ikc(sharedFields).partial().shape)
    .describe('Fields applied to every deployment below, under its own (never credentials).');
const ConfigFileSchema = schemas/* strictObject */.rej({
    $schema: schemas/* string */.YjP().optional().describe('Where editors find this schema.'),
    defaults: ConfigDefaultsSchema.optional(),
    deployments: schemas/* array */.YOg(ConfigEntrySchema, { error: 'is required: a list of deployments' })
        .min(1, { error: 'needs at least one deployment' })
        .describe('The deployments, in the order they are listed in the results.')
})
    .describe('Enterprise Deploy: several deployments in one step (docs/config.md).');
/** Field names, for "valid fields" lists in messages. */
const ENTRY_FIELDS = Object.keys(ConfigEntrySchema.shape);
const DEFAULTS_FIELDS = Object.keys(ConfigDefaultsSchema.shape);
const OVERRIDE_FIELDS = Object.keys(EnvironmentOverrideSchema.shape);
/** The JSON Schema editors read (config.schema.json); draft-07 is what YAML language servers know best. */
function configJsonSchema() {
    return {
        ...z.toJSONSchema(ConfigFileSchema, { target: 'draft-7', io: 'input' }),
        title: 'Enterprise Deploy config file'
    };
}

;// CONCATENATED MODULE: ./src/inputs/yaml.ts


/** Deeper than any config file or `parameters` value needs; far below where recursion would overflow. */
const MAX_YAML_DEPTH = 64;
/** How many alias expansions a document may make: enough for sharing defaults, too few for a "billion laughs". */
const MAX_YAML_ALIASES = 100;
/**
 * Parses YAML text into a value, or says what is wrong and where: syntax, nesting deeper than
 * MAX_YAML_DEPTH, an alias to nothing, to itself, or one that expands too far. Never throws: a document
 * that would exhaust the stack or the memory is a problem like any other.
 */
function parseYaml(text) {
    const lineCounter = new dist/* LineCounter */.HN();
    const linePos = (offset) => lineCounter.linePos(offset);
    const at = (offset) => (offset === undefined ? {} : linePos(offset));
    let document;
    try {
        document = (0,dist/* parseDocument */.Tp)(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
    }
    catch (error) {
        return { linePos, problems: [{ message: reasonOf(errorFields(error).message) }] };
    }
    if (document.errors.length) {
        const problems = document.errors.map(error => ({
            message: error.code === 'RESOURCE_EXHAUSTION' || /call stack/i.test(error.message)
                ? tooDeep()
                : reasonOf(error.message),
            ...at(error.pos[0])
        }));
        return { document, linePos, problems: dedupe(problems) };
    }
    const shape = shapeProblem(document);
    if (shape)
        return { document, linePos, problems: [{ message: shape.message, ...at(shape.offset) }] };
    try {
        return { document, linePos, value: document.toJS({ maxAliasCount: MAX_YAML_ALIASES }), problems: [] };
    }
    catch (error) {
        const { message } = errorFields(error);
        const excessive = /alias count/i.test(message);
        return {
            document,
            linePos,
            problems: [
                {
                    message: excessive
                        ? `its aliases expand to more than ${MAX_YAML_ALIASES} copies (a "billion laughs"?); write the values out or share fewer`
                        : reasonOf(message),
                    ...at(firstAliasOffset(document, excessive))
                }
            ]
        };
    }
}
function tooDeep() {
    return `nests collections more than ${MAX_YAML_DEPTH} levels deep`;
}
/** The library's first line without the position it repeats ("… at line 3, column 5:"). */
function reasonOf(message) {
    const first = message.split('\n')[0] ?? message;
    return first.replace(/\s+at line \d+, column \d+:?\s*$/, '').trim() || 'unreadable';
}
/** Nesting too deep is reported once, at its first place, without the errors it causes further on. */
function dedupe(problems) {
    const deep = problems.find(problem => problem.message === tooDeep());
    if (deep)
        return [deep];
    const seen = new Set();
    return problems.filter(problem => {
        const key = JSON.stringify(problem);
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}
/**
 * Walks the tree without recursion, counting how deep collections nest once aliases are expanded, and
 * finding an alias inside the node it names. The first node past MAX_YAML_DEPTH, or the self-alias, is
 * where the problem is.
 */
function shapeProblem(document) {
    const stack = [{ node: document.contents, depth: 0, within: new Set() }];
    // An anchored node is walked once per depth it is reached at: enough to bound the work.
    const walked = new Map();
    while (stack.length) {
        const { node, depth, within } = stack.pop();
        if ((0,dist/* isAlias */.Vj)(node)) {
            const target = node.resolve(document);
            if (target === undefined)
                continue; // toJS names the missing anchor
            if (within.has(target))
                return {
                    message: `alias *${node.source} is inside the node it names, so it never ends`,
                    offset: node.range?.[0]
                };
            if ((walked.get(target) ?? -1) >= depth)
                continue;
            walked.set(target, depth);
            stack.push({ node: target, depth, within });
            continue;
        }
        if (!(0,dist/* isCollection */.P3)(node))
            continue;
        const level = depth + 1;
        if (level > MAX_YAML_DEPTH)
            return { message: tooDeep(), offset: node.range?.[0] };
        const inside = node.anchor ? new Set([...within, node]) : within;
        const children = [];
        if ((0,dist/* isMap */.jh)(node)) {
            for (const pair of node.items)
                if ((0,dist/* isPair */.tO)(pair))
                    children.push(pair.key, pair.value);
        }
        else if ((0,dist/* isSeq */.oP)(node))
            children.push(...node.items);
        for (const child of children.reverse())
            stack.push({ node: child, depth: level, within: inside });
    }
    return undefined;
}
/** Where an alias problem is: the first alias that names a node holding aliases (or the first alias). */
function firstAliasOffset(document, nested) {
    const aliases = [];
    const stack = [document.contents];
    while (stack.length) {
        const node = stack.pop();
        if ((0,dist/* isAlias */.Vj)(node)) {
            aliases.push({ offset: node.range?.[0], target: node.resolve(document), source: node.source });
            continue;
        }
        if ((0,dist/* isMap */.jh)(node)) {
            for (const pair of [...node.items].reverse())
                if ((0,dist/* isPair */.tO)(pair))
                    stack.push(pair.value, pair.key);
        }
        else if ((0,dist/* isSeq */.oP)(node))
            stack.push(...[...node.items].reverse());
    }
    aliases.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
    if (!nested)
        return (aliases.find(alias => alias.target === undefined) ?? aliases[0])?.offset;
    const expanding = aliases.find(alias => (0,dist/* isCollection */.P3)(alias.target) && containsAlias(alias.target));
    return (expanding ?? aliases[0])?.offset;
}
function containsAlias(root) {
    const stack = [root];
    while (stack.length) {
        const node = stack.pop();
        if ((0,dist/* isAlias */.Vj)(node))
            return true;
        if ((0,dist/* isMap */.jh)(node)) {
            for (const pair of node.items)
                if ((0,dist/* isPair */.tO)(pair))
                    stack.push(pair.key, pair.value);
        }
        else if ((0,dist/* isSeq */.oP)(node))
            stack.push(...node.items);
    }
    return false;
}

;// CONCATENATED MODULE: ./src/inputs/config-file.ts







/** Reads and validates the config file; every problem names the file, line and column. */
function readConfigFile(given, workspace) {
    const file = external_node_path_default().resolve(workspace, given);
    let text;
    try {
        text = readSmallTextFile(file);
    }
    catch (error) {
        return {
            problems: [
                {
                    input: 'config',
                    value: given,
                    problem: !/ENOENT|EACCES/.test(errorFields(error).message)
                        ? `cannot be read: ${errorFields(error).message}`
                        : `cannot read ${file}; the path is relative to the workspace (GITHUB_WORKSPACE) — check out the repository first`
                }
            ]
        };
    }
    const yaml = parseYaml(text);
    const at = (offset) => {
        const { line, col } = yaml.linePos(offset);
        return { file: given, line, column: col };
    };
    if (yaml.problems.length || !yaml.document) {
        return {
            problems: yaml.problems.map((problem) => ({
                input: 'config',
                position: problem.line === undefined
                    ? { file: given }
                    : { file: given, line: problem.line, column: problem.col },
                problem: `is not valid YAML: ${problem.message}`
            }))
        };
    }
    const document = yaml.document;
    const locate = (target, key = false) => at(offsetOf(document, target, key));
    const value = yaml.value ?? {};
    const parsed = ConfigFileSchema.safeParse(value);
    if (!parsed.success) {
        return { problems: parsed.error.issues.flatMap(issue => issueProblems(issue, value, locate)) };
    }
    return { source: { file: given, config: parsed.data, locate }, problems: [] };
}
/** Where the node at `target` starts; the nearest ancestor that exists when the path goes further. */
function offsetOf(document, target, key) {
    let node = document.contents;
    let offset = rangeStart(node) ?? 0;
    for (const [index, step] of target.entries()) {
        if ((0,dist/* isAlias */.Vj)(node))
            node = node.resolve(document);
        let next;
        if ((0,dist/* isMap */.jh)(node)) {
            const pair = node.items.find(item => (0,dist/* isPair */.tO)(item) && (0,dist/* isScalar */.jn)(item.key) && String(item.key.value) === String(step));
            if (!pair)
                break;
            next = key && index === target.length - 1 ? pair.key : pair.value;
        }
        else if ((0,dist/* isSeq */.oP)(node) && typeof step === 'number') {
            next = node.items[step];
        }
        else
            break;
        const start = rangeStart(next);
        if (start === undefined)
            break;
        node = next;
        offset = start;
    }
    return offset;
}
function rangeStart(node) {
    return node?.range?.[0];
}
/** A zod issue as problems in the shape the rest of the inputs use: entry, field, value, location. */
function issueProblems(issue, root, locate) {
    const issuePath = issue.path.filter((step) => typeof step !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
        const valid = validFieldsAt(issuePath);
        return issue.keys.map(key => ({
            ...config_file_subjectOf([...issuePath, key], root),
            position: locate([...issuePath, key], true),
            problem: unknownFieldMessage(key, valid)
        }));
    }
    const value = valueAt(root, issuePath);
    return [
        {
            ...config_file_subjectOf(issuePath, root),
            value: value === undefined || typeof value === 'object' ? undefined : String(value),
            position: locate(issuePath),
            problem: issue.message
        }
    ];
}
function unknownFieldMessage(key, valid) {
    if (CREDENTIAL_INPUTS.includes(key) && valid === DEFAULTS_FIELDS) {
        return `credentials are not defaults: give each entry its own ${key}: \${{ env.NAME }}`;
    }
    if (INPUT_NAMES.includes(key) && !DEPLOYMENT_INPUTS.includes(key)) {
        return `'${key}' is an input of the whole step: set it under the step’s with:`;
    }
    return `unknown field '${key}'; valid fields: ${valid.join(', ')}`;
}
function validFieldsAt(at) {
    if (at.length === 0)
        return ['$schema', 'defaults', 'deployments'];
    if (at[0] === 'defaults')
        return DEFAULTS_FIELDS;
    return ENTRY_FIELDS;
}
/** `deployments[1] 'planning-metadata'` + field `timeout`, `defaults` + field `timeout`, or the file itself. */
function config_file_subjectOf(at, root) {
    const [first, second, ...rest] = at;
    if (first === 'deployments' && typeof second === 'number') {
        const name = valueAt(root, ['deployments', second, 'name']);
        const entry = `deployments[${second}]${typeof name === 'string' ? ` '${name}'` : ''}`;
        return { entry, input: rest.length ? rest.join('.') : 'name' };
    }
    if (first === 'defaults' && second !== undefined)
        return { entry: 'defaults', input: [second, ...rest].join('.') };
    return { entry: 'config file', input: at.length ? at.join('.') : '(top level)' };
}
function valueAt(root, at) {
    let value = root;
    for (const step of at) {
        if (value === null || typeof value !== 'object')
            return undefined;
        value = value[step];
    }
    return value;
}

;// CONCATENATED MODULE: ./src/inputs/deployment.ts



const PLATFORM_LIST = PLATFORMS.join(', ');
/**
 * One deployment from its parsed fields, checked against its platform: the one path both the step's inputs
 * and every config file entry take. Problems are appended to `problems`, which already holds this
 * deployment's field-parsing problems (so a field refused there is not reported twice).
 */
function buildDeployment(inputs, parameters, extras, problems) {
    const alreadyNamed = (input) => problems.some(problem => problem.input === input);
    if (!inputs.platform && !alreadyNamed('platform')) {
        problems.push({
            input: 'platform',
            problem: `is required (one of ${PLATFORM_LIST})${extras.fromConfig ? '' : ' unless config is given'}`
        });
    }
    if (!inputs['base-url'] && !alreadyNamed('base-url')) {
        problems.push({
            input: 'base-url',
            problem: "is required: the server's root, e.g. https://demo.epmwarecloud.com"
        });
    }
    const intervals = intervalsWithin(inputs, extras.defaulted ?? new Set(), problems);
    problems.push(...singleLineProblems(inputs));
    if (!inputs.platform)
        return undefined;
    const definition = definitionOf(inputs.platform);
    const operation = inputs.operation ?? definition.defaultOperation;
    const validOperations = [...definition.operations, 'await'];
    if (!validOperations.includes(operation)) {
        problems.push({
            input: 'operation',
            value: operation,
            problem: `is not an operation of ${definition.platform}; use one of ${validOperations.join(', ')}`
        });
    }
    problems.push(...credentialProblems(definition, inputs));
    problems.push(...deployment_taskIdProblems(operation, inputs['task-id']));
    const checkedParameters = deployment_parameterProblems(definition, parameters);
    problems.push(...checkedParameters.problems);
    const deployment = {
        name: extras.name,
        platform: inputs.platform,
        baseUrl: inputs['base-url'] ?? '',
        operation,
        target: inputs.target,
        parameters: checkedParameters.value,
        credentials: { token: inputs.token, username: inputs.username, password: inputs.password },
        artifacts: inputs.artifacts ?? [],
        taskId: inputs['task-id'],
        timeoutMs: inputs.timeout,
        pollIntervalMs: intervals.pollMs,
        maxPollIntervalMs: intervals.maxPollMs,
        wait: inputs.wait,
        cancelOnTimeout: inputs['cancel-on-timeout'],
        cancelOnAbort: inputs['cancel-on-abort'],
        failOnNoop: inputs['fail-on-noop'],
        ifBusy: inputs['if-busy'],
        dryRun: extras.dryRun,
        tls: {
            caCertificate: inputs['ca-certificate'],
            insecureSkipTlsVerify: inputs['insecure-skip-tls-verify']
        },
        needs: extras.needs
    };
    problems.push(...definition.validate(deployment));
    return deployment;
}
/**
 * Poll intervals no longer than the timeout and the first no longer than the longest. A default that does
 * not fit a short timeout is shortened to it; a value the user wrote is an error naming what would fit.
 */
function intervalsWithin(inputs, defaulted, problems) {
    const timeout = inputs.timeout;
    let pollMs = inputs['poll-interval'];
    let maxPollMs = inputs['max-poll-interval'];
    for (const name of ['poll-interval', 'max-poll-interval']) {
        const value = inputs[name];
        if (value <= timeout)
            continue;
        if (defaulted.has(name)) {
            if (name === 'poll-interval')
                pollMs = timeout;
            else
                maxPollMs = timeout;
            continue;
        }
        problems.push({
            input: name,
            value: formatDuration(value),
            problem: `must not be longer than timeout (${formatDuration(timeout)}): use at most ${formatDuration(timeout)}`
        });
    }
    if (pollMs > maxPollMs) {
        problems.push({
            input: 'poll-interval',
            value: formatDuration(pollMs),
            problem: `must not be longer than max-poll-interval (${formatDuration(maxPollMs)})`
        });
    }
    return { pollMs, maxPollMs };
}
/**
 * Fields sent as one value in a URL, a path or a query: a line break would change what is sent. (base-url
 * is checked as it is parsed: the URL parser drops line breaks silently.)
 */
const SINGLE_LINE_FIELDS = ['operation', 'target', 'task-id'];
function singleLineProblems(inputs) {
    return SINGLE_LINE_FIELDS.filter(name => /[\r\n]/.test(inputs[name] ?? '')).map(name => ({
        input: name,
        value: inputs[name],
        problem: 'must be one line but holds a line break (CR or LF)'
    }));
}
function credentialProblems(definition, inputs) {
    const problems = [];
    if (definition.credentials === 'token') {
        if (!inputs.token)
            problems.push({
                input: 'token',
                problem: `is required: ${definition.title} authenticates with an API token`
            });
        for (const name of ['username', 'password']) {
            if (inputs[name])
                problems.push({
                    input: name,
                    problem: `is not used by ${definition.platform}, which authenticates with token`
                });
        }
    }
    else {
        for (const name of ['username', 'password']) {
            if (!inputs[name])
                problems.push({
                    input: name,
                    problem: `is required: ${definition.title} uses HTTP Basic authentication`
                });
        }
        if (inputs.token)
            problems.push({
                input: 'token',
                problem: `is not used by ${definition.platform}, which authenticates with username and password`
            });
    }
    return problems;
}
function deployment_taskIdProblems(operation, taskId) {
    if (operation === 'await' && !taskId) {
        return [
            {
                input: 'task-id',
                problem: 'is required with operation: await (the task-id output of the step that started the job)'
            }
        ];
    }
    if (operation !== 'await' && taskId) {
        return [{ input: 'task-id', value: taskId, problem: 'is only used with operation: await' }];
    }
    return [];
}
/** Validates `parameters` against the platform's strict schema; unknown keys list the valid ones. */
function deployment_parameterProblems(definition, value) {
    const result = definition.parameters.safeParse(value);
    if (result.success)
        return { value: result.data, problems: [] };
    const validKeys = Object.keys(definition.parameters.shape);
    const valid = validKeys.length ? validKeys.join(', ') : `none (${definition.platform} takes no parameters)`;
    const problems = result.error.issues.flatMap((issue) => {
        if (issue.code === 'unrecognized_keys') {
            return issue.keys.map(key => ({
                input: 'parameters',
                key,
                problem: `unknown key '${key}' for ${definition.platform}; valid keys: ${valid}`
            }));
        }
        const key = issue.path.join('.');
        const shown = issue.path.length
            ? issue.path.reduce((inner, step) => inner?.[step], value)
            : value;
        return [
            {
                input: 'parameters',
                key: issue.path.length ? String(issue.path[0]) : undefined,
                value: key ? `${key}: ${JSON.stringify(shown)}` : undefined,
                problem: issue.message
            }
        ];
    });
    return { value, problems };
}

;// CONCATENATED MODULE: ./src/inputs/env-references.ts
const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;
const ENV_NAME = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/;
/**
 * Replaces every `${{ env.NAME }}` in a config file value with the variable's value. The runner never
 * expands expressions inside a file, so the action does, and only this one form: a secret reaches the
 * file through the step's `env:`.
 */
function substituteEnv(text, env) {
    const problems = [];
    const references = [];
    const value = text.replace(EXPRESSION, (whole, expression) => {
        const name = ENV_NAME.exec(expression)?.[1];
        if (!name) {
            problems.push(`only \${{ env.NAME }} is read in a config file, not \${{ ${expression} }}: map it into the step’s env: and write \${{ env.NAME }}`);
            return whole;
        }
        references.push(name);
        const found = env[name];
        if (found === undefined || found === '') {
            problems.push(`environment variable ${name} is ${found === undefined ? 'not set' : 'empty'}; set it in the step’s env:, e.g. ${name}: \${{ secrets.${name} }}`);
            return '';
        }
        return found;
    });
    return { value, problems, references };
}

;// CONCATENATED MODULE: ./src/inputs/fields.ts

/**
 * Parses each named input from its string form on its own, so one bad value hides no other problem; a bad
 * value is replaced by its default (or left out) to let the checks that follow run too. Action inputs and
 * config file fields both come through here.
 */
function parseFields(raw, names) {
    const problems = [];
    const values = {};
    for (const name of names) {
        const schema = ActionInputsSchema.shape[name];
        const text = raw[name];
        const parsed = schema.safeParse(text);
        if (parsed.success) {
            values[name] = parsed.data;
            continue;
        }
        for (const issue of parsed.error.issues)
            problems.push({ input: name, value: text, problem: issue.message });
        const fallback = INPUT_DEFAULTS[name];
        values[name] = fallback === undefined ? undefined : schema.parse(fallback);
    }
    return { values: values, problems };
}

;// CONCATENATED MODULE: ./src/inputs/graph.ts
/**
 * Checks `needs` before anything runs: every name must be a deployment of this run (or, `outside`, one
 * that does not run here and is then ignored), never itself, and the graph must have no cycle.
 */
function graphProblems(nodes, outside = new Set()) {
    const names = new Set(nodes.map(node => node.name));
    const problems = [];
    for (const node of nodes) {
        for (const need of node.needs) {
            if (need === node.name)
                problems.push({ name: node.name, need, problem: 'a deployment cannot need itself' });
            else if (!names.has(need) && !outside.has(need)) {
                problems.push({
                    name: node.name,
                    need,
                    problem: `needs '${need}', which is not a deployment of this file; names: ${[...names, ...outside].join(', ')}`
                });
            }
        }
    }
    const cycle = findCycle(nodes.map(node => ({ ...node, needs: node.needs.filter(need => names.has(need) && need !== node.name) })));
    if (cycle)
        problems.push({ name: cycle[0] ?? '', problem: `needs form a cycle: ${cycle.join(' → ')}` });
    return problems;
}
/** The first cycle found, as names with the first repeated at the end; undefined when there is none. */
function findCycle(nodes) {
    const byName = new Map(nodes.map(node => [node.name, node]));
    const state = new Map();
    const trail = [];
    const visit = (name) => {
        if (state.get(name) === 'done')
            return undefined;
        if (state.get(name) === 'visiting')
            return [...trail.slice(trail.indexOf(name)), name];
        state.set(name, 'visiting');
        trail.push(name);
        for (const need of byName.get(name)?.needs ?? []) {
            const cycle = visit(need);
            if (cycle)
                return cycle;
        }
        trail.pop();
        state.set(name, 'done');
        return undefined;
    };
    for (const node of nodes) {
        const cycle = visit(node.name);
        if (cycle)
            return cycle;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/inputs/config-plan.ts








const FIELD_INPUTS = DEPLOYMENT_INPUTS.filter(name => name !== 'parameters');
const LAYERED = new Set(FIELD_INPUTS);
/** The file's entries for this environment, each resolved and checked like the step's own inputs. */
function configDeployments(source, options) {
    const { config } = source;
    const problems = [];
    const notes = [];
    problems.push(...duplicateNames(source));
    const selected = selectEntries(source, options.environment, problems);
    const deployments = [];
    const needsOrigins = new Map();
    for (const { entry, index } of selected) {
        const taskId = options.awaitIds?.get(entry.name);
        if (options.awaitIds && !taskId) {
            notes.push(`${entry.name}: not awaited, the task-id input names no job for it`);
            continue;
        }
        const resolved = resolveEntry(source, entry, index, options);
        if (taskId) {
            resolved.fields.set('operation', { value: 'await' });
            resolved.fields.set('task-id', { value: taskId });
            resolved.needs = [];
        }
        needsOrigins.set(entry.name, resolved.needsOrigin);
        const deployment = toDeployment(resolved, options, problems);
        if (deployment)
            deployments.push(deployment);
    }
    if (options.awaitIds && deployments.length === 0 && problems.length === 0) {
        problems.push({
            input: 'task-id',
            problem: `names none of the deployments of this run (${selected.map(({ entry }) => entry.name).join(', ')})`
        });
    }
    const outside = new Set(config.deployments.map(entry => entry.name));
    for (const { entry } of selected)
        outside.delete(entry.name);
    for (const problem of graphProblems(deployments, outside)) {
        const origin = needsOrigins.get(problem.name) ?? [];
        const needs = deployments.find(deployment => deployment.name === problem.name)?.needs ?? [];
        const at = problem.need === undefined ? origin : [...origin, needs.indexOf(problem.need)];
        const index = config.deployments.findIndex(entry => entry.name === problem.name);
        problems.push({
            entry: `deployments[${index}] '${problem.name}'`,
            input: 'needs',
            position: source.locate(at),
            problem: problem.problem
        });
    }
    return { deployments, problems, notes };
}
function duplicateNames(source) {
    const seen = new Map();
    const problems = [];
    source.config.deployments.forEach((entry, index) => {
        const first = seen.get(entry.name);
        if (first === undefined)
            return void seen.set(entry.name, index);
        problems.push({
            entry: `deployments[${index}] '${entry.name}'`,
            input: 'name',
            position: source.locate(['deployments', index, 'name']),
            problem: `is also the name of deployments[${first}]; names must be unique`
        });
    });
    return problems;
}
/**
 * Without `environment`, every entry runs, unless some entry lists environments: then it is required (so a
 * production entry never runs by omission) and must be one of them; the entries that list it run, and
 * those that list none.
 */
function selectEntries(source, environment, problems) {
    const all = source.config.deployments.map((entry, index) => ({ entry, index }));
    const known = [...new Set(all.flatMap(({ entry }) => environmentsOf(entry)))];
    if (environment === undefined) {
        if (known.length === 0)
            return all;
        problems.push({
            input: 'environment',
            problem: `is required: ${source.file} lists environments (${known.join(', ')}); name the one to deploy to`
        });
        return [];
    }
    // A misspelt environment must not quietly run only the entries that run everywhere.
    if (known.length > 0 && !known.includes(environment)) {
        problems.push({
            input: 'environment',
            value: environment,
            problem: `is not an environment of ${source.file}; its environments: ${known.join(', ')}`
        });
        return [];
    }
    return all.filter(({ entry }) => !entry.environments || environmentsOf(entry).includes(environment));
}
function environmentsOf(entry) {
    if (!entry.environments)
        return [];
    return Array.isArray(entry.environments) ? entry.environments : Object.keys(entry.environments);
}
/** Step inputs, then `defaults`, then the entry, then its environment's overrides: the last one written wins. */
function resolveEntry(source, entry, index, options) {
    const { config } = source;
    const fields = new Map();
    const parameters = {};
    const parameterOrigins = new Map();
    const problems = [];
    const entryPath = ['deployments', index];
    const addParameters = (values, origin) => {
        for (const [key, value] of Object.entries(values ?? {})) {
            parameters[key] = value;
            parameterOrigins.set(key, [...origin, key]);
        }
    };
    const layer = (values, origin) => {
        for (const [key, value] of Object.entries(values ?? {})) {
            if (LAYERED.has(key))
                fields.set(key, { value, origin: origin && [...origin, key] });
        }
    };
    layer(options.stepDefaults, undefined);
    layer(config.defaults, ['defaults']);
    addParameters(config.defaults?.parameters, ['defaults', 'parameters']);
    layer(entry, entryPath);
    addParameters(entry.parameters, [...entryPath, 'parameters']);
    let needs = entry.needs ?? [];
    let needsOrigin = [...entryPath, 'needs'];
    const environment = options.environment;
    const overrides = environment !== undefined && entry.environments && !Array.isArray(entry.environments)
        ? (entry.environments[environment] ?? undefined)
        : undefined;
    if (overrides && environment !== undefined) {
        const overridePath = [...entryPath, 'environments', environment];
        layer(overrides, overridePath);
        addParameters(overrides.parameters, [...overridePath, 'parameters']);
        if (overrides.needs) {
            needs = overrides.needs;
            needsOrigin = [...overridePath, 'needs'];
        }
        const platform = PlatformSchema.safeParse(fields.get('platform')?.value);
        const definition = platform.success ? definitionOf(platform.data) : undefined;
        const parameterKeys = definition ? Object.keys(definition.parameters.shape) : [];
        for (const [key, value] of Object.entries(overrides)) {
            if (OVERRIDE_FIELDS.includes(key))
                continue;
            if (parameterKeys.includes(key)) {
                parameters[key] = value;
                parameterOrigins.set(key, [...overridePath, key]);
                continue;
            }
            problems.push({
                input: `environments.${environment}.${key}`,
                position: source.locate([...overridePath, key], true),
                problem: `is neither a field of a deployment (${OVERRIDE_FIELDS.join(', ')}) nor a parameter of ${definition?.platform ?? 'its platform'}${parameterKeys.length ? ` (${parameterKeys.join(', ')})` : ''}`
            });
        }
    }
    return {
        name: entry.name,
        index,
        fields,
        parameters,
        parameterOrigins,
        needs,
        needsOrigin,
        problems,
        locate: source.locate
    };
}
/** The resolved fields through the same parsing and platform checks as the step's inputs. */
function toDeployment(resolved, options, allProblems) {
    const problems = resolved.problems;
    const raw = {};
    const unresolved = new Set();
    const references = new Map();
    const defaulted = new Set();
    for (const [name, field] of resolved.fields) {
        const substituted = substituteEnv(asText(field.value), options.env);
        for (const problem of substituted.problems)
            problems.push({ input: name, problem });
        if (substituted.problems.length)
            unresolved.add(name);
        if (substituted.references.length)
            references.set(name, substituted.references);
        if (!field.origin && options.defaulted?.has(name))
            defaulted.add(name);
        raw[name] = substituted.value;
    }
    const envProblems = problems.length;
    for (const [key, value] of Object.entries(resolved.parameters)) {
        if (typeof value !== 'string')
            continue;
        const substituted = substituteEnv(value, options.env);
        for (const problem of substituted.problems)
            problems.push({ input: 'parameters', key, problem });
        resolved.parameters[key] = substituted.value;
    }
    const parsed = parseFields(raw, FIELD_INPUTS);
    problems.push(...parsed.problems);
    const caCertificate = readCaCertificate(parsed.values['ca-certificate'], options.workspace, problems);
    const deployment = buildDeployment({ ...parsed.values, 'ca-certificate': caCertificate }, resolved.parameters, { name: resolved.name, needs: resolved.needs, dryRun: options.dryRun, fromConfig: true, defaulted }, problems);
    for (const problem of problems) {
        const names = references.get(problem.input);
        if (names && /line break/.test(problem.problem))
            problem.problem += ` — from \${{ env.${names.join(' }}, ${{ env.')} }}, a variable that holds more than one line`;
    }
    // A field whose variable is missing is reported once, not again as empty or required.
    const kept = problems.filter((problem, index) => index < envProblems || !unresolved.has(problem.input));
    allProblems.push(...kept.map(problem => locateProblem(problem, resolved)));
    return deployment;
}
function asText(value) {
    if (Array.isArray(value))
        return value.map(String).join('\n');
    return String(value);
}
/** Names the entry and points at the line that wrote the field (the entry itself when the field is missing). */
function locateProblem(problem, resolved) {
    const entry = `deployments[${resolved.index}] '${resolved.name}'`;
    if (problem.location || problem.position)
        return { ...problem, entry };
    const parameterOrigin = problem.input === 'parameters' && problem.key !== undefined
        ? resolved.parameterOrigins.get(problem.key)
        : undefined;
    const field = resolved.fields.get(problem.input);
    if (!parameterOrigin && field && !field.origin)
        return { ...problem, entry: `${entry} (from the step's inputs)` };
    const origin = parameterOrigin ?? field?.origin ?? ['deployments', resolved.index];
    // An unknown parameter is pointed at by its key, a bad one by its value.
    const atKey = parameterOrigin !== undefined && problem.value === undefined;
    return { ...problem, entry, position: resolved.locate(origin, atKey) };
}

;// CONCATENATED MODULE: ./src/inputs/parameters.ts


/** Twice a file an input may name (a 1 MB value fits): a mapping of a few fields is far shorter. */
const MAX_PARAMETERS_LENGTH = 2 * MAX_INPUT_FILE_BYTES;
/** The `parameters` input: a YAML (or JSON, which is YAML) mapping. Problems name the line and column. */
function parseParameters(text) {
    if (text === undefined || text.trim() === '')
        return { value: {}, problems: [] };
    if (text.length > MAX_PARAMETERS_LENGTH) {
        return {
            value: {},
            problems: [
                {
                    input: 'parameters',
                    value: text,
                    problem: `is ${text.length} characters long, more than the ${MAX_PARAMETERS_LENGTH} allowed`
                }
            ]
        };
    }
    const parsed = parseYaml(text);
    if (parsed.problems.length) {
        return {
            value: {},
            problems: parsed.problems.map(problem => ({
                input: 'parameters',
                value: text,
                location: problem.line === undefined ? undefined : `line ${problem.line}, column ${problem.col}`,
                problem: `is not valid YAML or JSON: ${problem.message}`
            }))
        };
    }
    const value = parsed.value;
    if (value === null || value === undefined)
        return { value: {}, problems: [] };
    if (typeof value !== 'object' || Array.isArray(value)) {
        return {
            value: {},
            problems: [
                {
                    input: 'parameters',
                    value: text,
                    problem: 'must be a mapping of field names to values, e.g. `rollback: ASOALL_BACKOUT`'
                }
            ]
        };
    }
    return { value: value, problems: [] };
}

;// CONCATENATED MODULE: ./src/host/host.ts
/** A host that says nothing: the default for code run outside any step (tests, the bench). */
const silentHost = {
    input: () => '',
    info: () => undefined,
    debug: () => undefined,
    warning: () => undefined,
    error: () => undefined,
    fail: () => undefined,
    group: (_name, body) => body(),
    mask: () => undefined,
    setOutput: () => undefined,
    appendSummary: async () => undefined
};

;// CONCATENATED MODULE: ./src/secrets/encodings.ts
/**
 * Every form a credential can take when a server echoes it back: in a JSON string, a URL, an HTML or XML
 * page, a backslash-escaped string, base64 (standard and URL-safe, at each of the three byte alignments it
 * can have inside a longer encoded value) and hex. The runner's own secret masker registers the JSON, URI,
 * XML and base64 forms of every secret; the action writes files and outputs the runner never masks, so it
 * registers at least as much.
 */
/** Derived forms shorter than this are neither masked nor scrubbed: too short to be told from ordinary text. */
const SHORTEST_DERIVED_FORM = 6;
/** The text inside a JSON string literal. */
function jsonEscaped(text) {
    return JSON.stringify(text).slice(1, -1);
}
/** As a JSON encoder that writes ASCII only (Python's default, Jackson's ESCAPE_NON_ASCII) would. */
function jsonEscapedAscii(text) {
    return jsonEscaped(text).replace(/[^\x20-\x7e]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
/** `encodeURIComponent`: space as `%20`, `!'()*~` kept. */
function percentEncoded(text) {
    return encodeURIComponent(text);
}
/** Form encoding (`application/x-www-form-urlencoded`, URLSearchParams, Java's URLEncoder): space as `+`. */
function formEncoded(text) {
    return new URLSearchParams({ v: text }).toString().slice(2);
}
/** RFC 3986 strict: everything but unreserved characters percent-encoded. */
function strictPercentEncoded(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, char => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
function lowerCasePercents(text) {
    return text.replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase());
}
const HTML_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
/** HTML/XML escaping in the variants servers use for quotes, and with non-ASCII as character references. */
function htmlEscapedForms(text) {
    const base = text.replace(/[&<>]/g, char => HTML_ENTITIES[char] ?? char);
    const quotes = [
        ['&quot;', '&#39;'],
        ['&quot;', '&apos;'],
        ['&quot;', '&#x27;'],
        ['&#34;', '&#39;']
    ];
    const forms = [base];
    for (const [double, single] of quotes)
        forms.push(base.replace(/"/g, double).replace(/'/g, single));
    for (const form of [...forms]) {
        forms.push(form.replace(/[^\x20-\x7e]/gu, char => `&#${char.codePointAt(0)};`));
        forms.push(form.replace(/[^\x20-\x7e]/gu, char => `&#x${char.codePointAt(0)?.toString(16)};`));
    }
    return forms;
}
/** Backslash escaping as shells, Java/C string literals and regular expressions write it. */
function backslashEscapedForms(text) {
    return [
        text.replace(/[\\"']/g, '\\$&'),
        text.replace(/[\\"]/g, '\\$&'),
        text.replace(/[\\']/g, '\\$&'),
        text.replace(/[^\w\u0080-\uffff]/g, '\\$&'),
        // PHP's json_encode also escapes the slash.
        jsonEscaped(text).replace(/\//g, '\\/')
    ];
}
/**
 * The base64 of `bytes` as it appears inside a longer base64 value, for each of the three offsets (mod 3)
 * the bytes can start at: the characters that depend only on these bytes. Plus the whole value with and
 * without padding, for when the secret is encoded on its own.
 */
function base64Forms(bytes) {
    const forms = [];
    for (const shift of [0, 1, 2]) {
        const encoded = Buffer.concat([Buffer.alloc(shift), bytes])
            .toString('base64')
            .replace(/=+$/, '');
        const head = [0, 2, 3][shift] ?? 0;
        const tail = (shift + bytes.length) % 3 === 0 ? 0 : 1;
        forms.push(encoded.slice(head, encoded.length - tail));
    }
    forms.push(bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, ''));
    return forms;
}
function base64Url(base64) {
    return base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
/** Every form of `secret` worth masking, longest first, without duplicates; derived forms under the limit left out. */
function encodedForms(secret) {
    return maskableForms(secret).forms;
}
/** The forms, and how many derived forms were left out for being shorter than SHORTEST_DERIVED_FORM. */
function maskableForms(secret) {
    const bytes = Buffer.from(secret, 'utf8');
    const base64 = base64Forms(bytes);
    const hex = bytes.toString('hex');
    const url = [percentEncoded(secret), formEncoded(secret), strictPercentEncoded(secret)];
    url.push(...url.map(form => form.replace(/%20/g, '+')), ...url.map(form => form.replace(/\+/g, '%20')));
    url.push(...url.map(lowerCasePercents));
    const json = [jsonEscaped(secret), jsonEscapedAscii(secret)];
    const forms = [
        ...json,
        ...json.map(jsonEscaped),
        ...url,
        ...url.flatMap(htmlEscapedForms),
        ...htmlEscapedForms(secret),
        ...backslashEscapedForms(secret),
        ...base64,
        ...base64.map(base64Url),
        ...base64.map(form => form.replace(/\//g, '\\/')),
        ...base64.map(percentEncoded),
        hex,
        hex.toUpperCase()
    ];
    const distinct = new Set(forms.filter(form => form !== secret));
    const derived = [...distinct].filter(form => form.length >= SHORTEST_DERIVED_FORM);
    return {
        forms: [secret, ...derived].sort((a, b) => b.length - a.length),
        tooShort: distinct.size - derived.length
    };
}

;// CONCATENATED MODULE: ./src/secrets/fields.ts
/**
 * Values blanked in structured output (`details`, `results`) whatever they hold: fields whose name says they
 * hold a secret, and the password inside any URL or connection string. SECURITY.md lists these patterns.
 */
/** Case-insensitive parts of a field name that mark it as secret: `dbPassword`, `refresh_token`, `privateKey`. */
const SECRET_FIELD_PARTS = [
    'pass',
    'pwd',
    'secret',
    'token',
    'key',
    'credential',
    'cookie',
    'authorization',
    'session'
];
const SECRET_FIELD = new RegExp(SECRET_FIELD_PARTS.join('|'), 'i');
function isSecretField(name) {
    return SECRET_FIELD.test(name);
}
// Every repetition is bounded: an unbounded one would backtrack quadratically over a long run of letters.
const URL_PASSWORD = /((?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^\s/?#@:]{0,256}):[^\s/?#@]{0,256}@/gi;
/** Oracle's thin driver: `jdbc:oracle:thin:scott/tiger@//host:1521/service`. */
const ORACLE_PASSWORD = /(jdbc:oracle:[a-z0-9]{1,16}:[^\s/@:]{1,256})\/[^\s@]{0,256}@/gi;
/** `jdbc:mysql://host/db?user=app&password=…`, `;password=…` (SQL Server), `&pwd=…`. */
const QUERY_PASSWORD = /([?&;](?:password|passwd|pwd|pass)=)[^&;\s]*/gi;
/** The text with the password of every URL or connection string in it replaced by `***`; the user is kept. */
function blankUrlPasswords(text, replacement) {
    let result = text;
    if (result.includes('@')) {
        if (result.includes('://'))
            result = result.replace(URL_PASSWORD, `$1:${replacement}@`);
        if (/jdbc:oracle:/i.test(result))
            result = result.replace(ORACLE_PASSWORD, `$1/${replacement}@`);
    }
    if (result.includes('='))
        result = result.replace(QUERY_PASSWORD, `$1${replacement}`);
    return result;
}

;// CONCATENATED MODULE: ./src/secrets.ts



const REDACTED = '***';
/** A raw secret shorter than this is not registered: masking it would blank ordinary words everywhere. */
const SHORTEST_SECRET = 3;
/**
 * Knows every secret of the run and every form it can take on the wire or in an echo (raw, JSON-, URL-,
 * HTML- and backslash-escaped, base64 at each alignment, hex: see secrets/encodings.ts), masks each with
 * the runner before anything prints, and scrubs them from any text or value we write.
 */
class Redactor {
    host;
    forms = new Set();
    /** The forms longest first, for scrub. */
    ordered = [];
    /** `host` masks each form before anything prints it (the runner's mask in the action). */
    constructor(host = silentHost) {
        this.host = host;
    }
    /** Registers a token or password (and every encoding of it); call before anything that could print it. */
    add(secret) {
        if (!secret || secret.length < SHORTEST_SECRET)
            return;
        let added = false;
        const { forms, tooShort } = maskableForms(secret);
        if (tooShort > 0) {
            this.host.debug(`${tooShort} encoded forms of a credential are shorter than ${SHORTEST_DERIVED_FORM} characters: neither masked nor scrubbed`);
        }
        for (const form of forms) {
            if (this.forms.has(form))
                continue;
            this.forms.add(form);
            added = true;
            this.host.mask(form);
        }
        if (added)
            this.ordered = [...this.forms].sort((a, b) => b.length - a.length);
    }
    /** Registers Basic credentials: the password, `user:password` and the header's base64 value. */
    addBasic(username, password) {
        this.add(password);
        if (username !== undefined && password) {
            this.add(`${username}:${password}`);
            this.add(Buffer.from(`${username}:${password}`).toString('base64'));
        }
    }
    /** Longest form, so streaming scrubbers know how much text to hold back across chunk borders. */
    get longest() {
        return this.ordered[0]?.length ?? 0;
    }
    /** Whether the text holds any form of a secret (an input problem then shows the value as `***`). */
    reveals(text) {
        return this.ordered.some(form => text.includes(form));
    }
    /**
     * Every form of every secret, and the password of any URL or connection string, replaced by `***`. Longest
     * first: a short secret inside a longer one (a password inside a Basic value) must not leave a remnant.
     */
    scrub(text) {
        let result = text;
        for (const form of this.ordered) {
            if (result.includes(form))
                result = result.split(form).join(REDACTED);
        }
        return blankUrlPasswords(result, REDACTED);
    }
    /**
     * Deep copy of a JSON-like value with every string (keys too) scrubbed and the values of secret-named
     * fields blanked — before it is serialized, so no escaped form of a secret can survive in the JSON.
     */
    scrubValue(value) {
        // Nothing serializes as `null`, as it always has: `fromJSON` of the output still parses.
        return this.scrubInner(value ?? null, new WeakSet());
    }
    scrubInner(value, seen) {
        if (typeof value === 'string')
            return this.scrub(value);
        if (value === null || typeof value !== 'object')
            return value;
        // A cycle (never in parsed JSON) would not serialize either.
        if (seen.has(value))
            return REDACTED;
        seen.add(value);
        try {
            if (typeof value.toJSON === 'function') {
                return this.scrubInner(value.toJSON(), seen);
            }
            if (Array.isArray(value))
                return value.map(item => this.scrubInner(item, seen));
            const copy = {};
            for (const [key, inner] of Object.entries(value)) {
                if (inner === undefined || typeof inner === 'function')
                    continue;
                const blank = isSecretField(key) && inner !== null && typeof inner !== 'object';
                copy[this.scrub(key)] = blank ? REDACTED : this.scrubInner(inner, seen);
            }
            return copy;
        }
        finally {
            seen.delete(value);
        }
    }
}

;// CONCATENATED MODULE: ./src/inputs/shown-value.ts

const SHOWN_VALUE_LENGTH = 80;
/** `scheme://userinfo@host…`: the start of a URL that carries credentials. */
// Bounded repetitions: a 1 MB value must not make these backtrack quadratically.
const URL_WITH_USERINFO = /^([a-z][a-z0-9+.-]{0,31}):\/\/[^/?#]{0,1024}@([^/?#]{0,1024})/i;
const USERINFO_ANYWHERE = /((?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/?#@]{0,1024}@/gi;
/**
 * How a refused input value is quoted in the problem: on one line, cut to a readable length, and never
 * with a secret in it. A value that is or holds a known credential shows as `***`; a URL with user info
 * (`https://user:password@host`) shows as its scheme and host only.
 */
function shownValue(value, conceals) {
    if (conceals?.(value))
        return REDACTED;
    const withUserinfo = URL_WITH_USERINFO.exec(value.trim());
    if (withUserinfo)
        return `${withUserinfo[1]}://${withUserinfo[2]}`;
    // Only the start is ever shown; the rest need not be searched.
    const oneLine = value
        .slice(0, 16 * SHOWN_VALUE_LENGTH)
        .replace(USERINFO_ANYWHERE, `$1${REDACTED}@`)
        .replace(/\s+/g, ' ')
        .trim();
    return oneLine.length > SHOWN_VALUE_LENGTH ? `${oneLine.slice(0, SHOWN_VALUE_LENGTH)}…` : oneLine;
}

;// CONCATENATED MODULE: ./src/inputs/problems.ts


/** `file:line:column`, or the file alone when the line is not known. */
function formatPosition(position) {
    return position.line === undefined
        ? position.file
        : `${position.file}:${position.line}${position.column === undefined ? '' : `:${position.column}`}`;
}
const SECRET_INPUTS = new Set(['token', 'password', 'github-token']);
function showValue(problem, conceals) {
    if (problem.value === undefined)
        return '';
    if (SECRET_INPUTS.has(problem.input))
        return ' (value hidden)';
    return ` '${shownValue(problem.value, conceals)}'`;
}
/** The problem in one line; `conceals` says which values hold a known credential (shown as `***`). */
function describeProblem(problem, conceals) {
    const at = problem.position ? formatPosition(problem.position) : problem.location;
    const where = at ? ` (${at})` : '';
    const value = showValue(problem, conceals);
    if (problem.entry)
        return `${problem.entry} field '${problem.input}'${value}${where}: ${problem.problem}`;
    return `input '${problem.input}'${value}${where}: ${problem.problem}`;
}
/** Every problem at once, in one error, so a user fixes them in one round. */
function problemsError(problems, conceals) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    return new ActionError([`The inputs have ${count}:`, ...problems.map(p => `  - ${describeProblem(p, conceals)}`)].join('\n'), {
        items: problems.map(p => ({ text: describeProblem(p, conceals), ...p.position })),
        hint: 'Nothing was sent to any server. See the README (and docs/config.md for config files) for every input and its valid values.'
    });
}

;// CONCATENATED MODULE: ./src/inputs/task-ids.ts

const ResultsSchema = schemas/* array */.YOg(schemas/* object */.Ikc({ name: schemas/* string */.YjP(), 'task-id': schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]) }).loose());
/**
 * With `config` and `operation: await`, `task-id` says which job each deployment follows: the `results`
 * output of the step that started them (JSON), or `name=id` pairs separated by commas or new lines.
 */
function parseTaskIds(text) {
    const ids = new Map();
    const trimmed = text.trim();
    if (trimmed.startsWith('[')) {
        let json;
        try {
            json = JSON.parse(trimmed);
        }
        catch {
            return { ids, problem: 'looks like JSON but is not valid JSON; pass the results output unchanged' };
        }
        const results = ResultsSchema.safeParse(json);
        if (!results.success)
            return { ids, problem: 'must be the results output: a list of objects with name and task-id' };
        for (const result of results.data)
            if (String(result['task-id']))
                ids.set(result.name, String(result['task-id']));
        return { ids };
    }
    for (const pair of trimmed
        .split(/[\n,]/)
        .map(item => item.trim())
        .filter(Boolean)) {
        const match = /^([^=\s]+)\s*=\s*(\S.*)$/.exec(pair);
        if (!match) {
            return {
                ids,
                problem: `'${pair}' is not name=id; with config, give the results output of the step that started the jobs, or name=id pairs`
            };
        }
        ids.set(match[1] ?? '', (match[2] ?? '').trim());
    }
    return { ids };
}

;// CONCATENATED MODULE: ./src/inputs/plan.ts











/**
 * Turns the action's inputs (and the config file they name) into a typed Plan, or throws one error that
 * lists every problem.
 */
function getPlan(readInput, env = process.env, options = {}) {
    const raw = {};
    const defaulted = new Set();
    for (const name of INPUT_NAMES) {
        const given = readInput(name);
        if (given === undefined)
            defaulted.add(name);
        const value = given ?? INPUT_DEFAULTS[name];
        if (value !== undefined && value !== '')
            raw[name] = value;
    }
    const { values: inputs, problems } = parseFields(raw, INPUT_NAMES);
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const notes = [];
    const deployments = inputs.config === undefined
        ? singleDeployment(inputs, workspace, defaulted, problems)
        : fileDeployments(inputs, raw, { env, workspace, defaulted }, problems, notes);
    for (const deployment of deployments)
        options.onCredentials?.(deployment.credentials);
    if (inputs['github-deployment'])
        problems.push(...githubProblems(inputs));
    if (problems.length > 0 || deployments.length === 0)
        throw problemsError(problems, options.conceals);
    const plan = PlanSchema.parse({
        deployments,
        settings: {
            failOnError: inputs['fail-on-error'],
            logLines: inputs['log-lines'],
            summary: inputs.summary,
            maxParallel: inputs['max-parallel'],
            environment: inputs.environment,
            githubToken: inputs['github-token'],
            githubDeployment: inputs['github-deployment'],
            config: inputs.config,
            workspace,
            tempDir: env.RUNNER_TEMP || external_node_os_default().tmpdir()
        }
    });
    return { ...plan, notes };
}
function singleDeployment(inputs, workspace, defaulted, problems) {
    const caCertificate = readCaCertificate(inputs['ca-certificate'], workspace, problems);
    const parameters = parseParameters(inputs.parameters);
    problems.push(...parameters.problems);
    const name = inputs.target ?? inputs.platform ?? '';
    const deployment = buildDeployment({ ...inputs, 'ca-certificate': caCertificate }, parameters.value, { name, needs: [], dryRun: inputs['dry-run'], fromConfig: false, defaulted }, problems);
    return deployment ? [deployment] : [];
}
/** Inputs that have no default: with `config`, they are written in the file instead. */
const FILE_ONLY = DEPLOYMENT_INPUTS.filter(name => !(name in INPUT_DEFAULTS));
function fileDeployments(inputs, raw, context, problems, notes) {
    const awaiting = inputs.operation === 'await';
    for (const name of FILE_ONLY) {
        if (raw[name] === undefined)
            continue;
        if (awaiting && (name === 'operation' || name === 'task-id'))
            continue;
        problems.push({
            input: name,
            value: raw[name],
            problem: name === 'operation'
                ? 'with config, only operation: await is an input (with task-id); write the others in the config file'
                : 'is not used with config: write it in the config file (credentials as ${{ env.NAME }})'
        });
    }
    let awaitIds;
    if (awaiting) {
        const parsed = parseTaskIds(inputs['task-id'] ?? '');
        if (parsed.problem)
            problems.push({ input: 'task-id', value: raw['task-id'], problem: parsed.problem });
        else if (parsed.ids.size === 0)
            problems.push({
                input: 'task-id',
                problem: 'is required with operation: await: the results output of the step that started the jobs, or name=id pairs'
            });
        awaitIds = parsed.ids;
    }
    const file = readConfigFile(inputs.config ?? '', context.workspace);
    problems.push(...file.problems);
    if (!file.source)
        return [];
    const stepDefaults = {};
    const refused = new Set(problems.map(problem => problem.input));
    for (const name of DEPLOYMENT_INPUTS) {
        if (name in INPUT_DEFAULTS && raw[name] !== undefined && !refused.has(name))
            stepDefaults[name] = raw[name];
    }
    const planned = configDeployments(file.source, {
        environment: inputs.environment,
        stepDefaults,
        env: context.env,
        workspace: context.workspace,
        dryRun: inputs['dry-run'],
        awaitIds,
        defaulted: context.defaulted
    });
    problems.push(...planned.problems);
    notes.push(...planned.notes);
    return planned.deployments;
}
function githubProblems(inputs) {
    const problems = [];
    if (!inputs.environment) {
        problems.push({
            input: 'environment',
            problem: 'is required with github-deployment: true: the GitHub environment the deployment is for'
        });
    }
    if (!inputs['github-token']) {
        problems.push({
            input: 'github-token',
            problem: 'is required with github-deployment: true (the default is ${{ github.token }})'
        });
    }
    return problems;
}

;// CONCATENATED MODULE: ./src/report/limits.ts
/**
 * GitHub keeps a step's outputs only while they are small (1 MiB for all of a job's outputs): each output is
 * cut to a size that leaves room for the others, with a marker that says so. The whole text is saved to a
 * file beside the log, named in the marker.
 */
const OUTPUT_LIMITS = { message: 4 * 1024, details: 256 * 1024, results: 256 * 1024 };
/** The first `limit` bytes of `text`, cut on a character boundary, with `marker` in the room left at the end. */
function cutToBytes(text, limit, marker) {
    const bytes = Buffer.byteLength(text);
    if (bytes <= limit)
        return text;
    const note = marker(bytes);
    const room = Math.max(0, limit - Buffer.byteLength(note));
    // Decoding a cut buffer drops a partial last character instead of inventing one.
    let kept = Buffer.from(text).subarray(0, room).toString('utf8');
    if (kept.endsWith('\uFFFD'))
        kept = kept.slice(0, -1);
    return `${kept}${note}`;
}

;// CONCATENATED MODULE: ./src/report/outputs.ts




function resultsJson(results) {
    return flatten(results).map(result => ({
        name: result.name,
        platform: result.platform,
        status: result.status,
        'task-id': result.taskId ?? '',
        message: result.message,
        duration: result.durationSeconds
    }));
}
/**
 * `3 deployments: 1 succeeded, 1 failed, 1 skipped — hr-services failed: …`: the message of several, said to be
 * a dry run when it was one.
 */
function overviewMessage(results) {
    const all = flatten(results);
    const counts = new Map();
    for (const result of all)
        counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
    const tally = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
    const deciding = decidingResult(results);
    const overall = overallStatus(all);
    const reason = deciding && overall !== 'succeeded' && overall !== 'started'
        ? ` — ${deciding.name} ${deciding.status}: ${deciding.message.split('\n')[0]}`
        : '';
    const dryRun = all.every(result => result.checks !== undefined) ? 'Dry run, nothing triggered: ' : '';
    return `${dryRun}${all.length} deployments: ${tally}${reason}`;
}
const OUTPUT_NAMES = (/* unused pure expression or super */ null && ([
    'status',
    'task-id',
    'message',
    'duration',
    'log-file',
    'details',
    'url',
    'results',
    'remote-status',
    'export-file'
]));
/**
 * The step's outputs, all of them, whatever the outcome; every value scrubbed of secrets before it is
 * serialized, and cut to GitHub's limits. With several deployments: the overall status, the task ids
 * comma-joined, a one-line overview and the step's duration. `fullText` names where the uncut values go.
 */
function outputValues(results, redactor, stepSeconds, fullText) {
    const main = decidingResult(results);
    const several = results.length > 1;
    let cut = false;
    const marker = (what) => (bytes) => {
        cut = true;
        return ` … [${what} cut: ${describeBytes(bytes)} in all; the whole text is in ${fullText}]`;
    };
    const message = cleanText(several ? overviewMessage(results) : (main?.message ?? ''), redactor);
    const details = main?.details === undefined ? '' : JSON.stringify(cleanValue(main.details, redactor));
    const values = {
        status: several ? overallStatus(flatten(results)) : (main?.status ?? 'failed'),
        'task-id': cleanText(singleLine(several ? joinedTaskIds(results) : (main?.taskId ?? '')), redactor),
        message: cutToBytes(message, OUTPUT_LIMITS.message, marker('message')),
        duration: String(several ? stepSeconds : (main?.durationSeconds ?? 0)),
        'log-file': main?.logFile ?? '',
        details: Buffer.byteLength(details) <= OUTPUT_LIMITS.details
            ? details
            : JSON.stringify({
                cut: `details cut: ${describeBytes(Buffer.byteLength(details))} in all; the whole text is in ${fullText}`,
                start: cutToBytes(details, OUTPUT_LIMITS.details / 2, marker('details'))
            }),
        url: cleanText(singleLine(main?.url ?? ''), redactor),
        results: cappedResults(results, redactor, marker),
        'remote-status': cleanText(singleLine(main?.remoteCode ?? ''), redactor),
        'export-file': cleanText(singleLine(main?.exportFile ?? ''), redactor)
    };
    return { values, cut };
}
/** `results` as valid JSON within its limit: messages cut first, then the last entries, with a marker entry. */
function cappedResults(results, redactor, marker) {
    const entries = cleanValue(resultsJson(results), redactor).map(entry => ({
        ...entry,
        message: cutToBytes(String(entry.message), OUTPUT_LIMITS.message, marker('message'))
    }));
    let json = JSON.stringify(entries);
    let kept = entries.length;
    while (Buffer.byteLength(json) > OUTPUT_LIMITS.results && kept > 0) {
        kept--;
        const note = marker('results')(Buffer.byteLength(JSON.stringify(entries)));
        json = JSON.stringify([
            ...entries.slice(0, kept),
            { name: '…', status: '', message: `${entries.length - kept} more deployments${note}` }
        ]);
    }
    return json;
}
/** Writes the outputs through the host (which knows what to do when its output file cannot be written). */
function writeOutputs(host, values) {
    for (const [name, value] of Object.entries(values))
        host.setOutput(name, value);
}
function joinedTaskIds(results) {
    return results
        .map(result => result.taskId)
        .filter(Boolean)
        .join(',');
}
/** Published the moment the platform accepts the trigger, so a cancelled run still names the job. */
function publishTaskId(host, taskId, redactor) {
    writeOutputs(host, { 'task-id': cleanText(singleLine(taskId), redactor) });
}

;// CONCATENATED MODULE: ./src/report/markdown.ts
/**
 * Markdown the job summary is made of, from text nobody vetted: GitHub renders the summary as GitHub-flavoured
 * markdown with raw HTML (https://github.github.com/gfm/), so every piece of text is escaped for the place
 * it goes — a sentence, a table cell, a <pre> block, an attribute.
 */
/** Inside <pre>, <code> or <summary>: only what HTML would read. */
function escapeBlock(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/**
 * A sentence or a table cell: HTML escaped, markdown punctuation backslash-escaped (GFM §2.4: any ASCII
 * punctuation may be escaped) so a message cannot start a link, emphasis, a code span or a new cell, and
 * line breaks as <br>.
 */
function escapeInline(text) {
    return escapeBlock(text)
        .replace(/[\\`*_[\]|~#]/g, (match, offset, whole) => 
    // An underscore inside a word starts no emphasis (GFM §6.2): `HFM_PROD` stays as written.
    match === '_' && isWordCharacter(whole[offset - 1]) && isWordCharacter(whole[offset + 1])
        ? match
        : `\\${match}`)
        .replace(/\r\n?|\n/g, '<br>');
}
function isWordCharacter(character) {
    return character !== undefined && /[\p{L}\p{N}]/u.test(character);
}
/** Text in a <code> element, on one line. */
function code(text) {
    return `<code>${escapeBlock(text).replace(/\r\n?|\n/g, ' ')}</code>`;
}
/** A link only to http(s) addresses; anything else stays text. */
function markdown_link(href, label) {
    if (!/^https?:\/\//i.test(href))
        return label;
    return `<a href="${escapeBlock(href).replace(/"/g, '&quot;')}">${label}</a>`;
}

;// CONCATENATED MODULE: ./src/report/summary.ts







/** GitHub rejects a step summary over 1 MiB; stay well below it. */
const SUMMARY_LIMIT_BYTES = 1000 * 1024;
/** The most error lines a reason quotes from its log tail. */
const ERROR_LINES_PER_REASON = 3;
const EMOJI = {
    succeeded: '✅',
    failed: '❌',
    'timed-out': '⏱️',
    canceled: '🛑',
    skipped: '⏭️',
    started: '🚀'
};
const summary_SAID = {
    succeeded: 'succeeded',
    failed: 'failed',
    'timed-out': 'timed out',
    canceled: 'canceled',
    skipped: 'skipped',
    started: 'started'
};
/** Outcomes that fail the step, said first. */
const summary_FAILING = new Set(['failed', 'timed-out', 'canceled']);
/** The order statuses are counted and rows are listed in: what needs a look first. */
const summary_ORDER = ['failed', 'timed-out', 'canceled', 'skipped', 'started', 'succeeded'];
/** The workflow run and commit pages, from the runner's GITHUB_* variables; none when they are not set. */
function runLinks(env) {
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const repository = env.GITHUB_REPOSITORY;
    if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository))
        return {};
    const base = `${server}/${repository}`;
    const runId = env.GITHUB_RUN_ID && /^\d+$/.test(env.GITHUB_RUN_ID) ? env.GITHUB_RUN_ID : undefined;
    const sha = env.GITHUB_SHA && /^[0-9a-f]{7,64}$/i.test(env.GITHUB_SHA) ? env.GITHUB_SHA : undefined;
    return {
        runUrl: runId ? `${base}/actions/runs/${runId}` : undefined,
        commitUrl: sha ? `${base}/commit/${sha}` : undefined,
        sha
    };
}
const ERROR_WORDS = /\b(errors?|fail(s|ed|ure|ing)?|fatal|exception|timed?[ -]?out|refused|denied|unreachable|not reachable|cannot|could not|unable|abort(ed)?|rejected|invalid|severe)\b|\bE\d{3,}\b/i;
/** The lines of a log tail that look like errors, the last few (nearest the end, where it broke). */
function errorLines(tail, message = '') {
    const said = message.trim();
    return tail.filter(line => ERROR_WORDS.test(line) && line.trim() !== said).slice(-ERROR_LINES_PER_REASON);
}
function titleOf(result) {
    return definitionOf(result.platform).title;
}
const isDryRun = (result) => result.checks !== undefined;
function statusText(result) {
    if (isDryRun(result))
        return result.status === 'succeeded'
            ? '✅ checks passed'
            : `❌ ${failedChecks(result).length ? 'a check failed' : summary_SAID[result.status]}`;
    return `${EMOJI[result.status]} ${summary_SAID[result.status]}`;
}
function progressOf(result) {
    const label = result.remoteLabel ?? result.remoteCode;
    const remoteCode = result.remoteCode && result.remoteLabel && result.remoteCode !== result.remoteLabel
        ? ` (${result.remoteCode})`
        : '';
    const percent = result.percent !== undefined ? `${result.percent}%` : '';
    return [percent, label ? `${label}${remoteCode}` : ''].filter(Boolean).join(' ');
}
function failedChecks(result) {
    return (result.checks ?? []).filter(check => !check.ok);
}
/** One row: deployment, platform · target, status, duration, task, link — six columns at most. */
function tableRow(result) {
    const target = singleLine(result.target ?? '');
    const where = `${titleOf(result)}${target ? ` · ${target}` : ''} (${result.operation})`;
    const progress = progressOf(result);
    const cells = [
        `**${escapeInline(singleLine(result.name))}**`,
        escapeInline(where),
        `${statusText(result)}${progress && !isDryRun(result) ? `<br><sub>${escapeInline(progress)}</sub>` : ''}`,
        formatDuration(result.durationSeconds * 1000),
        result.taskId ? code(result.taskId) : '—',
        result.url ? markdown_link(result.url, `open in ${escapeInline(titleOf(result))}`) : '—'
    ];
    return `| ${cells.join(' | ')} |`;
}
/** Rows that need a look first: failures, then timeouts, cancellations, skips, then the rest; stable within. */
function byUrgency(results) {
    return results
        .map((result, index) => ({ result, index }))
        .sort((a, b) => summary_ORDER.indexOf(a.result.status) - summary_ORDER.indexOf(b.result.status) || a.index - b.index)
        .map(({ result }) => result);
}
/** One list item per deployment that did not succeed: why, in one line, and the log lines that say it. */
function reasonItem(result) {
    const name = `**${escapeInline(singleLine(result.name))}**`;
    const failed = failedChecks(result);
    const why = isDryRun(result)
        ? failed.map(check => `${check.check} ✗ ${check.detail}`).join('; ') || result.message
        : result.message;
    const hint = result.hint ? ` — _Hint:_ ${escapeInline(singleLine(result.hint))}` : '';
    const verb = isDryRun(result) && failed.length ? 'failed its checks' : summary_SAID[result.status];
    const quoted = errorLines(result.logTail, result.message).map(line => `  - log: ${code(line)}`);
    return [
        `- ${EMOJI[result.status]} ${name} ${verb}: ${escapeInline(singleLine(why))}${hint}`,
        ...quoted
    ].join('\n');
}
/** The heading: the outcome in numbers, for one deployment or many, said to be a dry run when it is one. */
function heading(results, all, context) {
    const overall = overallStatus(all);
    const where = context.environment ? ` · ${escapeInline(singleLine(context.environment))}` : '';
    const main = results[0];
    if (all.length > 0 && all.every(isDryRun)) {
        const bad = all.filter(result => result.status !== 'succeeded').length;
        const checked = results.length === 1 && main
            ? `${escapeInline(summary_describe(main))} ${bad ? 'failed its checks' : 'checked'}`
            : bad
                ? `${bad} of ${all.length} failed their checks`
                : `${all.length} checked`;
        return `## ${bad ? '❌' : '✅'} Dry run · nothing was deployed · ${checked}${where}`;
    }
    if (results.length === 1 && main) {
        const rollback = all.length > 1 ? ` · ${all.length - 1} follow-up${all.length > 2 ? 's' : ''}` : '';
        return `## ${EMOJI[main.status]} ${capitalised(summary_SAID[main.status])} · ${escapeInline(summary_describe(main))}${rollback}${where}`;
    }
    const counts = summary_ORDER.filter(status => status !== 'succeeded')
        .map(status => ({ status, count: all.filter(result => result.status === status).length }))
        .filter(({ count }) => count > 0);
    const [first, ...rest] = counts;
    const tally = first
        ? [
            `${first.count} of ${all.length} ${summary_SAID[first.status]}`,
            ...rest.map(({ status, count }) => `${count} ${summary_SAID[status]}`)
        ].join(', ')
        : `${all.length} of ${all.length} succeeded`;
    return `## ${EMOJI[overall]} ${tally}${where}`;
}
function summary_describe(result) {
    return `${titleOf(result)} ${result.operation} ${singleLine(result.target ?? '')}`.trimEnd();
}
function capitalised(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
function linksLine(context) {
    const { runUrl, commitUrl, sha } = context.links ?? {};
    const parts = [
        runUrl ? markdown_link(runUrl, 'workflow run') : '',
        commitUrl && sha ? `commit ${markdown_link(commitUrl, code(sha.slice(0, 7)))}` : ''
    ].filter(Boolean);
    return parts.length ? parts.join(' · ') : '';
}
/** What a dry run checked for one deployment, a row per check; open when a check failed. */
function checksBlock(result) {
    if (!result.checks)
        return '';
    const failed = failedChecks(result).length > 0;
    return [
        `<details${failed ? ' open' : ''}><summary>${escapeBlock(singleLine(result.name))}: ${result.checks.length} dry run checks, ${failed ? 'a check failed' : 'all passed'} (nothing was triggered)</summary>`,
        '',
        '| Check | Result | Detail |',
        '|---|---|---|',
        ...result.checks.map(check => `| ${escapeInline(check.check)} | ${check.ok ? '✅ passed' : '❌ failed'} | ${escapeInline(check.detail)} |`),
        '',
        '</details>',
        ''
    ].join('\n');
}
/** Where the whole log is: named by its file, which lives only as long as the job unless uploaded. */
function logFileNote(file) {
    return `log file ${external_node_path_default().basename(file)} (upload RUNNER_TEMP/enterprise-deploy with actions/upload-artifact to keep it)`;
}
/** The log tail: open for a deployment that did not succeed, folded for one that did. */
function logBlock(result, tail) {
    if (tail.length === 0)
        return '';
    const open = summary_FAILING.has(result.status) || (isDryRun(result) && result.status !== 'succeeded');
    const where = result.logFile ? ` — ${logFileNote(result.logFile)}` : '';
    return [
        `<details${open ? ' open' : ''}><summary>${escapeBlock(singleLine(result.name))}: last ${tail.length} lines of the remote log${escapeBlock(where)}</summary>`,
        '',
        '<pre>',
        escapeBlock(tail.join('\n')),
        '</pre>',
        '</details>',
        ''
    ].join('\n');
}
function warningsBlock(all) {
    const items = all.flatMap(result => result.warnings.map(warning => `> - **${escapeInline(singleLine(result.name))}:** ${escapeInline(singleLine(warning))}`));
    return items.length ? ['> [!WARNING]', ...items, ''].join('\n') : '';
}
/**
 * The job summary as markdown, read at a glance: a heading with the outcome in numbers, links to the run and
 * the commit, the reasons (one line each, with the log lines that look like errors), a table of at most six
 * columns with the rows that need a look first, then the dry run checks and the log tails (a failure's open,
 * a success's folded). Cut to SUMMARY_LIMIT_BYTES by shortening the log tails.
 */
function renderSummary(results, logLines, context = {}) {
    const all = flatten(results);
    const notOk = byUrgency(all.filter(result => result.status !== 'succeeded' && result.status !== 'started'));
    const rows = byUrgency(all);
    const links = linksLine(context);
    const head = [
        heading(results, all, context),
        '',
        ...(links ? [links, ''] : []),
        ...(notOk.length ? [...notOk.map(reasonItem), ''] : []),
        ...(warningsBlock(all) ? [warningsBlock(all)] : []),
        '| Deployment | Platform · target | Status | Duration | Task | Link |',
        '|---|---|---|---|---|---|',
        ...rows.map(tableRow),
        '',
        ...rows.map(checksBlock).filter(Boolean)
    ].join('\n');
    let lines = logLines;
    for (;;) {
        const text = `${head}\n${rows
            .map(result => logBlock(result, result.logTail.slice(-lines)))
            .filter(Boolean)
            .join('\n')}`;
        if (Buffer.byteLength(text) <= SUMMARY_LIMIT_BYTES || lines === 0)
            return text;
        lines = Math.floor(lines / 2);
    }
}

;// CONCATENATED MODULE: ./src/report/index.ts









/** Outputs, annotations, the log tail on failure and the job summary: everything the step reports. */
async function report(results, options) {
    const { redactor, host } = options;
    if (results.length === 0)
        return;
    const fullText = external_node_path_default().join(options.tempDir, 'enterprise-deploy', 'outputs-uncut.json');
    const { values, cut } = outputValues(results, redactor, options.stepSeconds, fullText);
    if (cut)
        await saveUncut(host, fullText, results, redactor);
    writeOutputs(host, values);
    for (const result of flatten(results)) {
        const title = singleLine(result.name);
        for (const warning of result.warnings)
            host.warning(forStepLog(warning, redactor), { title });
        const saidByFailureLine = result === results[0] && options.failureLineSays === result.name;
        if (report_FAILING.has(result.status) && !saidByFailureLine)
            annotateFailure(host, result, redactor);
    }
    for (const result of results) {
        if (result.status !== 'succeeded' &&
            result.status !== 'started' &&
            result.status !== 'skipped' &&
            result.logTail.length) {
            host.info(forStepLog(`Last ${result.logTail.length} lines of the remote log of ${result.name}:`, redactor));
            for (const line of result.logTail)
                host.info(forStepLog(`  ${line}`, redactor));
        }
    }
    if (!options.summary)
        return;
    try {
        const markdown = renderSummary(results.map(shortened), options.logLines, {
            environment: options.environment,
            links: options.links
        });
        await host.appendSummary(cleanText(markdown, redactor));
    }
    catch (error) {
        host.warning(forStepLog(`Could not write the job summary: ${errorFields(error).message}`, redactor), {
            title: 'enterprise-deploy'
        });
    }
}
/** Outcomes that fail the step: each gets an error annotation titled with the deployment's name. */
const report_FAILING = new Set(['failed', 'timed-out', 'canceled']);
/** `::error title=<deployment>::<why>`: one per deployment that failed, timed out or was canceled. */
function annotateFailure(host, result, redactor) {
    const said = result.status === 'timed-out' ? 'timed out' : result.status;
    const text = `${result.name} ${said}: ${result.message}${result.hint ? `\nHint: ${result.hint}` : ''}`;
    host.error(forStepLog(text, redactor), { title: singleLine(result.name) });
}
/** The summary shows a message as the `message` output does: cut to its limit. */
function shortened(result) {
    return {
        ...result,
        message: cutToBytes(result.message, OUTPUT_LIMITS.message, () => ' … [cut; see the message output]'),
        followUps: result.followUps.map(shortened)
    };
}
async function saveUncut(host, file, results, redactor) {
    try {
        await (0,promises_.mkdir)(external_node_path_default().dirname(file), { recursive: true });
        const uncut = redactor.scrubValue({ results: resultsJson(results), details: results.map(r => r.details) });
        await (0,promises_.writeFile)(file, JSON.stringify(uncut, null, 2));
    }
    catch (error) {
        host.warning(forStepLog(`Could not save the uncut outputs: ${errorFields(error).message}`, redactor), {
            title: 'enterprise-deploy'
        });
    }
}
/**
 * The safety net's report: something unexpected stopped the run, yet every output is written (`failed`,
 * or `canceled` when a signal came first) and the summary says what happened in one line.
 */
async function reportUnexpected(host, line, redactor, options) {
    const status = options.signal ? 'canceled' : 'failed';
    const message = cleanText(line, redactor);
    try {
        writeOutputs(host, {
            status,
            message: cutToBytes(message, OUTPUT_LIMITS.message, () => ' …'),
            'task-id': '',
            duration: '0',
            'log-file': '',
            details: '',
            url: '',
            results: JSON.stringify([{ name: '', platform: '', status, 'task-id': '', message, duration: 0 }]),
            'remote-status': '',
            'export-file': ''
        });
    }
    catch {
        // Nothing more can be written; the step's failure line still says why.
    }
    if (!options.summary)
        return;
    await host
        .appendSummary(`## ❌ ${status}: the action stopped unexpectedly\n\n<pre>${escapeBlock(message)}</pre>\n`)
        .catch(() => undefined);
}

// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./src/report/files.ts




/** A name safe as one path segment: never empty, never `.` or `..`, never a hidden file. */
function files_segment(name) {
    const safe = name.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_');
    return safe || '_';
}
/**
 * Where files a job produces go (an EPMware export): `<tempDir>/enterprise-deploy/<folder>/<file>`, streamed,
 * never whole in memory. report/ alone writes files; drivers hand their streams here.
 */
function fileSinkUnder(tempDir) {
    const root = external_node_path_default().join(tempDir, 'enterprise-deploy');
    return async (stream, where, signal) => {
        const folder = external_node_path_default().join(root, files_segment(where.folder));
        await (0,promises_.mkdir)(folder, { recursive: true });
        const file = external_node_path_default().join(folder, files_segment(where.file));
        try {
            await (0,external_node_stream_promises_.pipeline)(stream, (0,external_node_fs_.createWriteStream)(file), { signal });
        }
        catch (error) {
            await (0,promises_.rm)(file, { force: true });
            throw error;
        }
        return {
            file,
            bytes: (await (0,promises_.stat)(file)).size,
            discard: () => (0,promises_.rm)(folder, { recursive: true, force: true })
        };
    };
}

// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(6193);
;// CONCATENATED MODULE: ./src/report/logfile.ts







/** Lines longer than this are cut in the summary's tail (the file keeps them whole). */
const TAIL_LINE_LIMIT = 400;
/** Keeps the last N lines it is given, each cut to a readable length. */
class TailBuffer {
    size;
    lines = [];
    constructor(size) {
        this.size = size;
    }
    push(line) {
        if (this.size === 0)
            return;
        this.lines.push(line.length > TAIL_LINE_LIMIT ? `${line.slice(0, TAIL_LINE_LIMIT)} …` : line);
        if (this.lines.length > this.size)
            this.lines.shift();
    }
    get value() {
        return [...this.lines];
    }
}
/**
 * Scrubs secrets from a text stream line by line; a line with no end in sight is flushed in pieces,
 * holding back enough characters that no secret is split between two pieces unseen.
 */
class RedactingLines extends external_node_stream_.Transform {
    redactor;
    onLine;
    pending = '';
    /** Decodes the whole stream once, so a character split across two chunks arrives whole. */
    decoder = new external_node_string_decoder_.StringDecoder('utf8');
    static MAX_PENDING = 1 << 20;
    constructor(redactor, onLine) {
        super();
        this.redactor = redactor;
        this.onLine = onLine;
    }
    _transform(chunk, _encoding, done) {
        this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
        const end = this.pending.lastIndexOf('\n');
        if (end >= 0) {
            this.emitText(this.pending.slice(0, end + 1));
            this.pending = this.pending.slice(end + 1);
        }
        else if (this.pending.length > RedactingLines.MAX_PENDING) {
            const keep = Math.max(0, this.redactor.longest - 1);
            const scrubbed = this.redactor.scrub(this.pending);
            this.push(scrubbed.slice(0, scrubbed.length - keep));
            this.pending = scrubbed.slice(scrubbed.length - keep);
        }
        done();
    }
    _flush(done) {
        this.pending += this.decoder.end();
        if (this.pending)
            this.emitText(this.pending);
        done();
    }
    emitText(text) {
        const scrubbed = this.redactor.scrub(text);
        for (const line of scrubbed.split('\n'))
            if (line.trim())
                this.onLine(line.replace(/\r$/, ''));
        this.push(scrubbed);
    }
}
const CUT = Symbol('cut');
/**
 * The source's chunks until it ends, the signal aborts, or it breaks: whatever arrived is kept, and a last
 * line says why the rest is missing.
 */
async function* untilCut(source, signal, onCut) {
    const chunks = source[Symbol.asyncIterator]();
    let stop = () => undefined;
    const stopped = new Promise(resolve => (stop = resolve));
    const onAbort = () => stop(CUT);
    if (signal.aborted)
        onAbort();
    else
        signal.addEventListener('abort', onAbort, { once: true });
    let why;
    try {
        for (;;) {
            let next;
            try {
                next = await Promise.race([chunks.next(), stopped]);
            }
            catch (error) {
                why = `the connection broke (${errorFields(error).code || errorFields(error).message})`;
                break;
            }
            if (next === CUT) {
                why = 'the time for it ran out';
                break;
            }
            if (next.done)
                break;
            yield next.value;
        }
    }
    finally {
        signal.removeEventListener('abort', onAbort);
        source.destroy();
    }
    if (why) {
        onCut(why);
        yield `\n[enterprise-deploy] the log download stopped here: ${why}; what arrived until then is above\n`;
    }
}
/**
 * Streams a remote log to a file under the runner's temp dir, secrets scrubbed; never whole in memory.
 * Bounded by `signal`: when it aborts, the download stops and what arrived is kept, with a line saying so.
 */
async function saveRemoteLog(source, directory, fileName, redactor, tailLines, signal = new AbortController().signal) {
    await (0,promises_.mkdir)(directory, { recursive: true });
    // Only word characters, dots and dashes, and no leading dot: never a hidden file, never `..`.
    const file = external_node_path_default().join(directory, fileName.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_'));
    const tail = new TailBuffer(tailLines);
    let bytes = 0;
    let cut;
    const counter = new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            bytes += chunk.length;
            done(null, chunk);
        }
    });
    await (0,external_node_stream_promises_.pipeline)(external_node_stream_.Readable.from(untilCut(source, signal, why => (cut = why)), { objectMode: false }), counter, new RedactingLines(redactor, line => tail.push(line)), (0,external_node_fs_.createWriteStream)(file));
    return { file, bytes, tail: tail.value, cut };
}
/** The engine's log sink: every remote log of the run goes to `<tempDir>/enterprise-deploy/`. */
function logSinkUnder(tempDir, redactor, tailLines) {
    const directory = external_node_path_default().join(tempDir, 'enterprise-deploy');
    return (stream, fileName, signal) => saveRemoteLog(stream, directory, fileName, redactor, tailLines, signal);
}

;// CONCATENATED MODULE: ./src/report/input-failure.ts



/** The title of the annotation a config file problem gets, beside its file, line and column. */
const CONFIG_PROBLEM_TITLE = 'enterprise-deploy: config file problem';
/**
 * Bad inputs still produce every output and a summary, though nothing was sent anywhere: `status` is
 * `failed` and `message` lists the problems. The summary lists them one per item; a problem in a config file
 * is also annotated at its file, line and column (the step's failure line, written by the caller, says all).
 */
async function reportInputFailure(host, error, redactor, options) {
    const scrubbed = cleanText(error.userMessage, redactor);
    const outputs = {
        status: 'failed',
        message: scrubbed,
        'task-id': '',
        duration: '0',
        'log-file': '',
        details: '',
        url: '',
        'remote-status': '',
        'export-file': '',
        results: JSON.stringify([
            {
                name: '',
                platform: options.platform,
                status: 'failed',
                'task-id': '',
                message: scrubbed,
                duration: 0
            }
        ])
    };
    writeOutputs(host, outputs);
    for (const item of error.items ?? []) {
        if (item.file === undefined)
            continue;
        host.error(forStepLog(item.text, redactor), {
            title: CONFIG_PROBLEM_TITLE,
            file: singleLine(item.file),
            line: item.line,
            column: item.column
        });
    }
    if (options.summary) {
        await host.appendSummary(cleanText(inputFailureSummary(error), redactor)).catch(() => undefined);
    }
    return scrubbed;
}
/** The summary of bad inputs: a heading that says nothing was sent, every problem as a list item, the hint. */
function inputFailureSummary(error) {
    const items = error.items?.length ? error.items.map(item => item.text) : error.message.split('\n');
    const lead = error.items?.length ? error.message.split('\n')[0] : undefined;
    return [
        '## ❌ The inputs are not valid · nothing was sent',
        '',
        ...(lead ? [escapeInline(lead), ''] : []),
        '<ul>',
        ...items.filter(text => text.trim()).map(text => `<li>${escapeBlock(text.trim())}</li>`),
        '</ul>',
        '',
        ...(error.hint ? [`**Hint:** ${escapeInline(error.hint)}`, ''] : [])
    ].join('\n');
}

// EXTERNAL MODULE: ./src/signals.ts
var src_signals = __webpack_require__(970);
;// CONCATENATED MODULE: ./src/main.ts



















/** The title of an annotation about the whole step rather than one deployment. */
const ACTION_TITLE = 'enterprise-deploy';
const main_FAILING = new Set(['failed', 'timed-out', 'canceled']);
/**
 * The whole step: read the plan, execute it, report. The only place that fails the step; nothing it does
 * ends without `status`, every output and the summary written.
 */
async function run(dependencies = {}) {
    const host = dependencies.host ?? actionsHost();
    const clock = dependencies.clock ?? systemClock;
    const signals = dependencies.signals ?? (0,src_signals/* signalLatch */.xE)(process);
    const env = dependencies.env ?? process.env;
    const stepStartedAt = clock.now();
    const redactor = registerSecrets(host);
    const abort = new AbortController();
    let received;
    const stopListening = signals.listen(signal => {
        if (abort.signal.aborted)
            return;
        received = signal;
        host.warning(`Received ${signal}: the workflow run is being cancelled`, { title: ACTION_TITLE });
        abort.abort(Object.assign(new Error(`cancelled by ${signal}`), { name: 'AbortError' }));
    });
    const failOnError = (host.input('fail-on-error') || INPUT_DEFAULTS['fail-on-error']).trim().toLowerCase() !== 'false';
    let github;
    let outcome;
    let signalledAt;
    let stepDeadline = Number.POSITIVE_INFINITY;
    try {
        let plan;
        try {
            plan = getPlan(name => host.input(name) || undefined, env, {
                onCredentials: credentials => {
                    redactor.add(credentials.token);
                    redactor.addBasic(credentials.username, credentials.password);
                },
                conceals: value => redactor.reveals(value)
            });
        }
        catch (error) {
            const message = await reportInputFailure(host, toActionError(error), redactor, {
                platform: host.input('platform'),
                summary: (host.input('summary') || 'true').trim().toLowerCase() !== 'false'
            });
            if (failOnError)
                host.fail(forStepLog(message, redactor));
            else
                host.error(forStepLog(message, redactor));
            return { status: 'failed', badInput: true };
        }
        for (const note of plan.notes)
            host.info(forStepLog(note, redactor));
        // A signal that came while the code loaded or the inputs were read is delivered now, before anything is sent.
        await new Promise(resolve => setImmediate(resolve));
        if (plan.deployments.some(deployment => deployment.tls.insecureSkipTlsVerify)) {
            host.warning('insecure-skip-tls-verify is true: TLS certificates are not verified, so a man in the middle can read the credentials this step sends. Prefer ca-certificate.', { title: ACTION_TITLE });
        }
        // Beside the trigger, never before it: start() bounds itself and ends on the signal.
        abort.signal.addEventListener('abort', () => (signalledAt = clock.now()), { once: true });
        github = startGitHubDeployment(host, plan, env, redactor, abort.signal);
        stepDeadline = stepStartedAt + Math.max(...plan.deployments.map(deployment => deployment.timeoutMs));
        const results = await executePlan(plan, redactor, abort.signal, { ...dependencies, host, clock, signals });
        const stepSeconds = Math.round((clock.now() - stepStartedAt) / 1000);
        const overall = overallStatus(flatten(results));
        const several = results.length > 1;
        const main = decidingResult(results);
        // One deployment failing the step: the failure line is its annotation, titled with its name.
        const failureLine = main_FAILING.has(overall) && plan.settings.failOnError && main;
        await report(results, {
            host,
            redactor,
            summary: plan.settings.summary,
            logLines: plan.settings.logLines,
            stepSeconds,
            environment: plan.settings.environment,
            links: runLinks(env),
            failureLineSays: failureLine && !several ? main.name : undefined,
            tempDir: plan.settings.tempDir
        });
        outcome = { status: overall, badInput: false };
        const message = several ? overviewMessage(results) : (main?.message ?? '');
        const deployment = await github;
        if (deployment) {
            await deployment.finish(overall, cleanText(message, redactor), flatten(results).find(result => result.url)?.url, {
                timeoutMs: finishBudgetMs({ now: clock.now(), stepDeadline, signalledAt })
            });
        }
        if (failureLine) {
            const shown = cutToBytes(message, OUTPUT_LIMITS.message, () => ' … [cut; see the message output]');
            host.fail(forStepLog(main.hint ? `${shown}\nHint: ${main.hint}` : shown, redactor), several ? undefined : { title: singleLine(main.name) });
        }
    }
    catch (error) {
        // The safety net: whatever went wrong, the step still says failed, writes every output and its summary.
        const { message } = errorFields(error);
        const line = redactor.scrub(`The action stopped on an unexpected error: ${message.split('\n')[0]?.slice(0, 500) ?? ''}`);
        // The bundle is minified, so its stack says nothing; the whole message and the causes do.
        host.debug(forStepLog(`unexpected error: ${describeCauses(error)}`, redactor));
        await reportUnexpected(host, line, redactor, { summary: true, signal: received });
        const deployment = await github?.catch(() => undefined);
        await deployment
            ?.finish(received ? 'canceled' : 'failed', line, undefined, {
            timeoutMs: finishBudgetMs({ now: clock.now(), stepDeadline, signalledAt })
        })
            .catch(() => undefined);
        if (failOnError)
            host.fail(forStepLog(line, redactor));
        else
            host.error(forStepLog(line, redactor));
        outcome = { status: received ? 'canceled' : 'failed', badInput: false };
    }
    finally {
        stopListening();
    }
    return outcome ?? { status: 'failed', badInput: false };
}
async function startGitHubDeployment(host, plan, env, redactor, signal) {
    const { githubDeployment, environment, githubToken } = plan.settings;
    if (!githubDeployment || !environment || !githubToken)
        return undefined;
    if (plan.deployments.some(deployment => deployment.dryRun)) {
        host.info('dry-run: no GitHub deployment is created');
        return undefined;
    }
    const { context, missing } = githubRunContext(env);
    if (!context) {
        host.warning(`No GitHub deployment for ${environment}: ${missing}`, { title: ACTION_TITLE });
        return undefined;
    }
    return GitHubDeployment.start(githubToken, environment, context, {
        info: message => host.info(forStepLog(message, redactor)),
        warning: message => host.warning(forStepLog(message, redactor), { title: ACTION_TITLE })
    }, { signal });
}
async function executePlan(plan, redactor, signal, dependencies) {
    const { host } = dependencies;
    const several = plan.deployments.length > 1;
    const acceptedIds = new Map();
    const accept = (deployment, task, log) => {
        acceptedIds.set(deployment.name, task.id);
        const joined = plan.deployments.flatMap(({ name }) => acceptedIds.get(name) ?? []);
        publishTaskId(host, several ? joined.join(',') : task.id, redactor);
        log.info(`Task id: ${singleLine(task.id)}${task.url ? ` — ${singleLine(task.url)}` : ''}`);
    };
    // Every warning is annotated with the deployment it is about (or the action's name, before one is known).
    const logFor = (title) => ({
        info: message => host.info(forStepLog(message, redactor)),
        warning: message => host.warning(forStepLog(message, redactor), { title: singleLine(title) })
    });
    const log = logFor(several ? ACTION_TITLE : (plan.deployments[0]?.name ?? ACTION_TITLE));
    const environment = {
        clock: dependencies.clock,
        signal,
        redactor,
        settings: plan.settings,
        http: dependencies.http,
        windDown: dependencies.windDown,
        log,
        onAccepted: (deployment, task) => accept(deployment, task, log),
        saveLog: logSinkUnder(plan.settings.tempDir, redactor, plan.settings.logLines),
        saveFile: fileSinkUnder(plan.settings.tempDir)
    };
    if (!several) {
        const [deployment] = plan.deployments;
        return [
            await host.group(forStepLog(singleLine(main_titleOf(deployment)), redactor), () => executeDeployment(deployment, environment))
        ];
    }
    host.info(forStepLog(describePlan(plan), redactor));
    return runBatch(plan.deployments, {
        maxParallel: plan.settings.maxParallel,
        ignoreNeeds: plan.deployments.every(deployment => deployment.dryRun),
        signal,
        execute: async (deployment) => {
            // Parallel runs interleave their lines; the name says whose each one is.
            const prefix = `[${deployment.name}] `;
            const titled = logFor(deployment.name);
            const own = {
                info: message => titled.info(`${prefix}${message}`),
                warning: message => titled.warning(`${prefix}${message}`)
            };
            own.info(main_titleOf(deployment));
            const result = await executeDeployment(deployment, {
                ...environment,
                log: own,
                onAccepted: (accepted, task) => accept(accepted, task, own)
            });
            own.info(`ended ${result.status}: ${singleLine(result.message)}`);
            return result;
        },
        notRun: (deployment, status, message) => {
            host.info(forStepLog(`[${deployment.name}] ${message}`, redactor));
            return notRunResult(deployment, status, message);
        }
    });
}
function main_titleOf(deployment) {
    return `${deployment.dryRun ? 'dry run of ' : ''}${deployment.platform}: ${deployment.operation} ${deployment.target ?? deployment.taskId ?? ''}`.trim();
}
function describePlan(plan) {
    const where = plan.settings.environment ? ` to ${plan.settings.environment}` : '';
    const items = plan.deployments.map(({ name, needs }) => needs.length ? `${name} (after ${needs.join(', ')})` : name);
    const dryRun = plan.deployments.every(deployment => deployment.dryRun)
        ? ' (dry run: each one is checked, none waits for its needs, since nothing is triggered)'
        : '';
    return `${plan.deployments.length} deployments${where}, at most ${plan.settings.maxParallel} at once${dryRun}: ${items.join(', ')}`;
}
function describeCauses(error, depth = 0) {
    const { name, message } = errorFields(error);
    const cause = error?.cause;
    const own = `${name ? `${name}: ` : ''}${message}`;
    return cause !== undefined && depth < 5 ? `${own}; caused by ${describeCauses(cause, depth + 1)}` : own;
}
/** Every credential input is masked before anything can print it. */
function registerSecrets(host) {
    const redactor = new Redactor(host);
    redactor.add(host.input('token'));
    redactor.addBasic(host.input('username'), host.input('password'));
    redactor.add(host.input('github-token'));
    return redactor;
}


/***/ })

};

//# sourceMappingURL=648.index.js.map