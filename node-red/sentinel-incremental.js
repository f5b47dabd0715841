module.exports = function (RED) {
    'use strict';
    const os = require('os');
    const path = require('path');
    const core = require('./lib/core');
    const { fromNodeRed } = require('./lib/http');
    const { StateStore } = require('./lib/incremental/state');
    const { tokenCacheFor } = require('./lib/incremental/tokens');
    const { timespan, TABLES } = require('./lib/incremental/query');
    const { pollTable } = require('./lib/incremental/poll');
    const { pollIncidents } = require('./lib/incremental/incidents');
    const arm = require('./lib/incremental/arm');

    const DEFAULTS = { lookback: '24h', lag: '2m', take: 1000, flushMB: 5, latestAlerts: 'sentinel-alerts-latest', latestIncidents: 'sentinel-incidents-latest' };
    // The REST API's incidents have another shape (the API's, not the table's rows): a latest index of their own.
    const REST_LATEST_INCIDENTS = 'sentinel-incidents-api-latest';

    /** The token cache of the tenant's app registration, shared by every node that uses it. */
    function tokensOf(tenant, http) {
        const c = tenant.credentials || {};
        return tokenCacheFor({
            clientId: tenant.clientId, tenantId: tenant.tenantId, authorityHost: tenant.authorityHost,
            kid: c.kid, certificatePem: c.certificatePem, privateKeyPem: c.privateKeyPem
        }, { http });
    }

    /** The settings a poll needs that the config nodes leave empty, named as the editor shows them. */
    function missingSettings(tenant, elastic, rest) {
        const c = tenant.credentials || {};
        const e = elastic.credentials || {};
        const workspace = rest
            ? [[tenant.subscriptionId, 'the tenant\'s subscription id'], [tenant.resourceGroup, 'the tenant\'s resource group'], [tenant.workspaceName, 'the tenant\'s workspace name']]
            : [[tenant.workspaceId, 'the tenant\'s workspace id']];
        return [
            [tenant.clientId, 'the tenant\'s client id'], [tenant.tenantId, 'the tenant\'s tenant id'],
            ...workspace, [c.privateKeyPem, 'the tenant\'s private key'],
            [c.certificatePem || c.kid, 'the tenant\'s certificate (or key id)'],
            [elastic.host, 'the elastic host'], [e.apiKey, 'the elastic API key']
        ].filter(([value]) => !value).map(([, name]) => name);
    }

    /** Milliseconds of a checked timespan (30s, 2m, 24h, 1.5d, 500ms). */
    const ms = (span) => {
        const [, n, unit] = /^(\d+(?:\.\d+)?)(ms|d|h|m|s)$/.exec(span);
        return Number(n) * { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[unit];
    };
    const origin = (host) => (/^https?:\/\//i.test(host) ? host : `http://${host}`);
    const ago = (ms) => (ms < 120e3 ? `${Math.round(ms / 1000)}s` : ms < 7200e3 ? `${Math.round(ms / 60e3)}m` : `${Math.round(ms / 3600e3)}h`);

    // Reads SecurityAlert and SecurityIncident incrementally into Elasticsearch: every alert and
    // every revision of every incident, once, through restarts, throttling and outages.
    function SentinelIncremental(config) {
        RED.nodes.createNode(this, config);
        const node = this;
        const tenant = RED.nodes.getNode(config.tenant);
        const elastic = RED.nodes.getNode(config.elastic);
        const proxyNode = config.proxy ? RED.nodes.getNode(config.proxy) : undefined;
        const tlsNode = config.tls ? RED.nodes.getNode(config.tls) : undefined;
        // The source: the Log Analytics query API (SecurityAlert, SecurityIncident tables) or the
        // Sentinel REST API's incidents.
        const rest = config.source === 'rest';
        const tables = rest ? ['incidents'] : Object.keys(TABLES).filter((t) => config[t === 'SecurityAlert' ? 'alerts' : 'incidents'] !== false);
        const stateDir = path.join(RED.settings.userDir || path.join(os.homedir(), '.node-red'), 'sentinel-elastic', 'state');
        const store = new StateStore(stateDir);
        let settings = null;
        let setupError = null;
        let running = null;
        let closing = null;
        const controller = new AbortController();

        try {
            if (!tenant) throw new Error(RED._('sentinel-incremental.errors.no-tenant'));
            if (!elastic) throw new Error(RED._('sentinel-incremental.errors.no-elastic'));
            if (tables.length === 0) throw new Error(RED._('sentinel-incremental.errors.no-table'));
            if (config.source !== undefined && config.source !== '' && config.source !== 'rest' && config.source !== 'loganalytics') throw new Error(RED._('sentinel-incremental.errors.source'));
            const missing = missingSettings(tenant, elastic, rest);
            if (missing.length) throw new Error(RED._('sentinel-incremental.errors.missing', { missing: missing.join(', ') }));
            const take = config.take === undefined || config.take === '' ? DEFAULTS.take : Number(config.take);
            if (!Number.isInteger(take) || take < 1 || take > 100000) throw new Error(RED._('sentinel-incremental.errors.take'));
            if (rest && take > 1000) throw new Error(RED._('sentinel-incremental.errors.top'));
            const flushMB = config.flushMB === undefined || config.flushMB === '' ? DEFAULTS.flushMB : Number(config.flushMB);
            if (!(flushMB > 0 && flushMB <= 100)) throw new Error(RED._('sentinel-incremental.errors.flush'));
            // Present: missingSettings checked it above.
            const apiKey = elastic.credentials.apiKey;
            core.headerValue(apiKey, 'The API key in the sentinel-elastic config node');
            const ids = config.ids || 'revision';
            if (ids !== 'revision' && ids !== 'first') throw new Error(RED._('sentinel-incremental.errors.ids'));
            const http = fromNodeRed({ proxyNode, tlsNode });
            settings = {
                lag: timespan(config.lag || DEFAULTS.lag, 'The lag'),
                lookback: timespan(config.lookback || DEFAULTS.lookback, 'The initial lookback'),
                take,
                ids,
                flushBytes: Math.round(flushMB * 1024 * 1024),
                tenantName: tenant.tenantName || undefined,
                index: elastic.index,
                ecs: config.ecs === true,
                latest: {
                    SecurityAlert: config.latestAlerts === undefined ? DEFAULTS.latestAlerts : String(config.latestAlerts).trim(),
                    SecurityIncident: config.latestIncidents === undefined ? (rest ? REST_LATEST_INCIDENTS : DEFAULTS.latestIncidents) : String(config.latestIncidents).trim()
                },
                queryUrl: rest ? null : core.queryUrl(tenant.queryHost || undefined, tenant.workspaceId),
                bulkUrl: core.bulkUrl(origin(elastic.host), elastic.pipeline),
                apiKey,
                // The query API and Entra ID through the proxy; Elasticsearch also with the TLS settings.
                http: { query: { proxy: http.proxy }, elastic: http }
            };
            if (rest) {
                const m = arm.management(tenant.managementHost || undefined);
                settings.rest = {
                    base: m.origin + arm.workspacePath(tenant), scope: m.scope, version: arm.apiVersion(config.apiVersion),
                    alerts: config.restAlerts === true, entities: config.restEntities === true, comments: config.restComments === true
                };
                settings.latest.incidents = settings.latest.SecurityIncident;
                settings.http.arm = { proxy: http.proxy };
            }
            Object.defineProperty(settings, 'apiKey', { enumerable: false });
            settings.tokens = tokensOf(tenant, () => ({ proxy: http.proxy }));
            node.status({ fill: 'grey', shape: 'ring', text: RED._('sentinel-incremental.status.ready') });
        } catch (err) {
            setupError = err;
            node.error(err);
            node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-incremental.status.settings') });
        }

        async function poll() {
            const started = Date.now();
            const tokens = settings.tokens;
            const before = tokens.requests;
            const scope = tenant.scope || 'https://api.loganalytics.io/.default';
            const report = { tenant: tenant.tenantName || tenant.tenantId, workspaceId: rest ? tenant.workspaceName : tenant.workspaceId, source: rest ? 'rest' : 'loganalytics', ok: true, started: new Date(started).toISOString(), tables: {} };
            const deadLetters = [];
            const errors = [];
            for (const table of tables) {
                const latestIndex = settings.latest[table] || undefined;
                const key = rest
                    ? { workspaceId: `${tenant.subscriptionId}.${tenant.resourceGroup}.${tenant.workspaceName}`, table: 'incidents-rest', base: settings.rest.base, host: elastic.host, index: settings.index, latestIndex: latestIndex || null }
                    : { workspaceId: tenant.workspaceId, table, host: elastic.host, index: settings.index, latestIndex: latestIndex || null, ids: settings.ids };
                try {
                    const { summary, deadLetters: dead } = rest ? await pollIncidents({
                        store, key, base: settings.rest.base,
                        settings: {
                            ...settings.rest, top: settings.take, overlapMs: ms(settings.lag), lookbackMs: ms(settings.lookback),
                            tenantName: settings.tenantName, index: settings.index, latestIndex, ecs: settings.ecs, flushBytes: settings.flushBytes
                        },
                        bulkUrl: settings.bulkUrl, apiKey: settings.apiKey,
                        token: () => tokens.get(settings.rest.scope, { signal: controller.signal }),
                        invalidate: (token) => tokens.invalidate(settings.rest.scope, token),
                        http: settings.http, signal: controller.signal,
                        warn: (text) => node.warn(text),
                        retry: (reason) => node.status({ fill: 'yellow', shape: 'ring', text: RED._('sentinel-incremental.status.retrying', { reason }) })
                    }) : await pollTable(table, {
                        store, key,
                        settings: { ...settings, latestIndex },
                        queryUrl: settings.queryUrl, bulkUrl: settings.bulkUrl, apiKey: settings.apiKey,
                        token: () => tokens.get(scope, { signal: controller.signal }),
                        invalidate: (token) => tokens.invalidate(scope, token),
                        http: settings.http, signal: controller.signal,
                        warn: (text) => node.warn(text),
                        retry: (reason) => node.status({ fill: 'yellow', shape: 'ring', text: RED._('sentinel-incremental.status.retrying', { reason }) })
                    });
                    // The REST API source reads every incident up to the moment of the poll: its cursor
                    // is the newest change, which says nothing about how far behind the reader is.
                    summary.lagSeconds = summary.cursor && !rest ? Math.max(0, Math.round((Date.now() - Date.parse(summary.cursor)) / 1000)) : null;
                    report.tables[table] = summary;
                    deadLetters.push(...dead);
                } catch (err) {
                    if (controller.signal.aborted) throw err;
                    // One table failing does not stop the other; the error goes to Catch nodes after the poll.
                    const saved = safeLoad(key);
                    report.tables[table] = { table, error: err.message, cursor: saved ? saved.cursor.time : null };
                    errors.push(`${table}: ${err.message}`);
                }
            }
            report.ok = errors.length === 0;
            report.durationMs = Date.now() - started;
            report.tokenRequests = tokens.requests - before;
            return { report, deadLetters, errors };
        }

        function safeLoad(key) {
            try { return store.load(key); } catch { return null; }
        }

        function show(report, deadCount) {
            const t = Object.values(report.tables);
            const created = t.reduce((n, x) => n + (x.created || 0), 0);
            const lags = t.map((x) => x.lagSeconds).filter((x) => Number.isFinite(x));
            const lag = lags.length ? ago(Math.max(...lags) * 1000) : '-';
            const at = new Date().toISOString().slice(11, 19);
            if (!report.ok) {
                node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-incremental.status.failed', { at }) });
            } else {
                node.status({ fill: deadCount ? 'yellow' : 'green', shape: 'dot', text: RED._(deadCount ? 'sentinel-incremental.status.dead' : 'sentinel-incremental.status.ok', { at, lag, created, dead: deadCount }) });
            }
        }

        node.on('input', (msg, send, done) => {
            if (setupError) {
                done(setupError);
                return;
            }
            if (running || closing) {
                // The poll still running covers this trigger: its cursor moves on from where it is.
                node.log(RED._('sentinel-incremental.log.busy'));
                done();
                return;
            }
            node.status({ fill: 'blue', shape: 'dot', text: RED._('sentinel-incremental.status.polling') });
            running = poll().then(({ report, deadLetters, errors }) => {
                show(report, deadLetters.length);
                const summary = RED.util.cloneMessage(msg);
                summary.payload = report;
                summary.topic = 'sentinel-incremental/summary';
                const dead = deadLetters.map((d) => ({ topic: 'sentinel-incremental/dead-letter', payload: d.document, deadLetter: { ...d, document: undefined, tenant: report.tenant } }));
                send([summary, null]);
                for (const d of dead) send([null, d]);
                done(errors.length ? new Error(RED._('sentinel-incremental.errors.poll', { errors: errors.join('; ') })) : undefined);
            }, (err) => {
                node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-incremental.status.stopped') });
                // Stopped by a redeploy or shutdown: nothing failed, the next start resumes from the cursor.
                done(controller.signal.aborted ? undefined : err);
            }).finally(() => { running = null; });
        });

        node.on('close', (removed, done) => {
            closing = true;
            controller.abort(new Error('stopped: the flow is being redeployed or Node-RED is stopping'));
            const finished = running ? running.catch(() => {}) : Promise.resolve();
            finished.then(() => {
                node.status({});
                done();
            });
        });
    }

    RED.nodes.registerType('sentinel-incremental', SentinelIncremental);
};
