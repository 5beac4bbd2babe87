// A real OpenID Connect provider on loopback for Kintsugi's SSO tests (tests/sso).
//
// `node provider.mjs CONFIG.json` serves the certified `oidc-provider` package with the
// client and the people CONFIG names, and prints "listening <issuer>" once it accepts
// connections. Sign-in and consent are plain HTML forms (our own, below) that check the
// password, so that a test signs in exactly as a person would: no development shortcuts.
//
// CONFIG: {"issuer": "http://127.0.0.1:PORT", "port": PORT, "cookie_key": "...",
//          "jwks": {"keys": [private JWKs the provider signs with]} (optional: the tests sign
//                   their own logout tokens with the same key to probe each check),
//          "clients": [oidc-provider client metadata...],
//          "users": [{"sub", "username", "password", "email", "email_verified", "name", "groups"}]}

import http from 'node:http';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const people = new Map(config.users.map((person) => [person.sub, person]));

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head>`
    + `<body><h1>${escape(title)}</h1>${body}</body></html>`;
}

async function logoutSource(ctx, form) {
  ctx.body = page('Sign out', `${form}<p>Sign out of the test provider?</p>`
    + '<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>'
    + '<button type="submit" form="op.logoutForm">No, stay signed in</button>');
}

async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Signed out', '<p>You are signed out of the test provider.</p>');
}

const provider = new Provider(config.issuer, {
  clients: config.clients,
  // The provider refuses to call special-use addresses (SSRF protection), loopback
  // included; here the client it calls back (back-channel logout) is on loopback on
  // purpose, so its own requests go out without that check.
  fetch: (url, options) => {
    const { dispatcher, ...rest } = options;
    return fetch(url, rest);
  },
  ...(config.jwks ? { jwks: config.jwks } : {}),
  cookies: { keys: [config.cookie_key] },
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    backchannelLogout: { enabled: true },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const person = people.get(sub);
    if (!person) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: person.email,
          email_verified: person.email_verified,
          name: person.name,
          preferred_username: person.username,
          groups: person.groups,
        };
      },
    };
  },
});

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function loginForm(uid, error) {
  return page('Sign in to the test provider', (error ? `<p role="alert">${escape(error)}</p>` : '')
    + `<form method="post" action="/interaction/${escape(uid)}/login">`
    + '<label>Username <input name="login" autocomplete="username"></label>'
    + '<label>Password <input name="password" type="password"></label>'
    + '<button type="submit">Sign in</button></form>');
}

function consentForm(uid, clientId) {
  return page('Authorise', `<p>Let ${escape(clientId)} know who you are?</p>`
    + `<form method="post" action="/interaction/${escape(uid)}/confirm">`
    + '<button type="submit">Continue</button></form>');
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, page('Error', '<p>Wrong interaction.</p>'));
  const { prompt, params, session } = details;
  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') return send(res, 200, loginForm(uid));
    return send(res, 200, consentForm(uid, params.client_id));
  }
  if (req.method === 'POST' && action === 'login' && prompt.name === 'login') {
    const form = await readForm(req);
    const person = config.users.find((p) => p.username === form.get('login'));
    if (!person || person.password !== form.get('password')) {
      return send(res, 200, loginForm(uid, 'Wrong username or password.'));
    }
    return provider.interactionFinished(req, res, { login: { accountId: person.sub } }, {
      mergeWithLastSubmission: false,
    });
  }
  if (req.method === 'POST' && action === 'confirm' && prompt.name === 'consent') {
    await readForm(req);
    const { details: missing } = prompt;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, {
      mergeWithLastSubmission: true,
    });
  }
  return send(res, 400, page('Error', '<p>Unexpected step.</p>'));
}

// What the provider did on its own, for a failing test's output.
provider.on('backchannel.error', (ctx, error, client) => {
  process.stdout.write(`backchannel.error ${client.clientId}: ${error.message} ${error.cause ? error.cause.message : ""}\n`);
});
provider.on('backchannel.success', (ctx, client) => {
  process.stdout.write(`backchannel.success ${client.clientId}\n`);
});
provider.on('server_error', (ctx, error) => {
  process.stdout.write(`server_error: ${error.message}\n`);
});

const handle = provider.callback();
const server = http.createServer((req, res) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm))?$/.exec(req.url.split('?')[0]);
  if (!match) return handle(req, res);
  return interaction(req, res, match[1], match[2]).catch((error) => {
    send(res, 400, page('Error', `<p>${escape(error.message)}</p>`));
  });
});

server.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`listening ${config.issuer}\n`);
});
