import assert from "node:assert/strict";
import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { describe, test } from "node:test";
import { type RunningServer, startServer } from "../../../tracker/server/start.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";

/**
 * The UI has no authentication. Bound to a loopback address it answers only requests
 * addressed to that address or to localhost (a page that rebinds its own domain name
 * to 127.0.0.x must not read the API from the user's browser); bound beyond this
 * machine it says so, and where it can be reached.
 */

interface Answer {
  status: number;
  body: string;
}

/** One request with exactly this Host header (none for null: HTTP/1.0), over a raw socket. */
function requestWithHost(server: RunningServer, host: string | null, path = "/api/studies"): Promise<Answer> {
  const { hostname, port } = new URL(server.url);
  const request = host === null ? `GET ${path} HTTP/1.0\r\n\r\n` : `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port) });
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      text += chunk;
    });
    socket.on("end", () => {
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1]);
      resolve({ status, body: text.slice(text.indexOf("\r\n\r\n") + 4) });
    });
    socket.on("error", reject);
    socket.write(request);
  });
}

async function withServer(host: string, run: (server: RunningServer, warnings: string[]) => Promise<void>): Promise<void> {
  const warnings: string[] = [];
  const server = await startServer({ storage: new InMemoryStorage(), port: 0, host, onWarning: (m) => warnings.push(m) });
  try {
    await run(server, warnings);
  } finally {
    await server.close();
  }
}

/** The Host header naming an address: IPv6 in brackets. */
const hostOf = (address: string, port: number | string) => `${address.includes(":") ? `[${address}]` : address}:${port}`;

function interfaceAddresses(family: "IPv4" | "IPv6"): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === family && !a.internal && !a.address.startsWith("fe80:"))
    .map((a) => a!.address);
}

describe("the Host check on every loopback address", () => {
  for (const [host, bound] of [
    ["127.0.0.1", "127.0.0.1"],
    ["127.0.0.2", "127.0.0.2"],
    ["127.45.6.7", "127.45.6.7"],
    ["::1", "::1"],
    ["localhost", "127.0.0.1"],
  ] as const) {
    test(`--host ${host}: the bound address and localhost answer, any other name is 421`, async () => {
      await withServer(host, async (server, warnings) => {
        const port = new URL(server.url).port;
        assert.equal(server.url, `http://${host === "localhost" ? `localhost:${port}` : hostOf(bound, port)}/`);
        assert.deepEqual(server.urls, [server.url]);
        for (const allowed of [hostOf(bound, port), `localhost:${port}`, `LOCALHOST:${port}`]) {
          const answer = await requestWithHost(server, allowed);
          assert.equal(answer.status, 200, `${allowed}: ${answer.body}`);
        }
        for (const refused of [
          `attacker.example:${port}`,
          "attacker.example",
          `${bound}.attacker.example:${port}`,
          `localhost.attacker.example:${port}`,
          `user@${hostOf(bound, port)}`,
          hostOf(bound, Number(port) + 1),
          ...(bound === "127.0.0.1" ? [] : [`127.0.0.1:${port}`]),
        ]) {
          const answer = await requestWithHost(server, refused);
          assert.equal(answer.status, 421, `${refused}: ${answer.body}`);
          const { error } = JSON.parse(answer.body) as { error: { message: string } };
          assert.ok(error.message.includes(JSON.stringify(refused.toLowerCase())), error.message);
          assert.ok(error.message.includes(server.url.replace(/\/$/, "")), `says where the UI is: ${error.message}`);
        }
        assert.equal((await requestWithHost(server, null)).status, 421, "no Host header at all");
        assert.equal((await requestWithHost(server, "attacker.example", "/")).status, 421, "pages too, not only the API");
        assert.deepEqual(warnings, []);
      });
    });
  }
});

describe("bound beyond this machine", () => {
  test("--host 0.0.0.0: a warning that anyone who reaches the port reads every study, and every URL it answers at", async () => {
    await withServer("0.0.0.0", async (server, warnings) => {
      const port = new URL(server.url).port;
      const expected = ["127.0.0.1", ...interfaceAddresses("IPv4")].map((a) => `http://${hostOf(a, port)}/`);
      assert.equal(server.url, `http://127.0.0.1:${port}/`);
      assert.deepEqual(server.urls, expected);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /no authentication/);
      assert.match(warnings[0], /--host 127\.0\.0\.1/);
      for (const url of expected) assert.ok(warnings[0].includes(url), `${url} in: ${warnings[0]}`);
      // Any name may lead here (the machine's own names are unknown): no Host check.
      assert.equal((await requestWithHost(server, `some-machine.lan:${port}`)).status, 200);
    });
  });

  test("--host ::: the same, with the IPv6 addresses too", async () => {
    await withServer("::", async (server, warnings) => {
      const port = new URL(server.url).port;
      assert.equal(server.url, `http://[::1]:${port}/`);
      for (const address of ["::1", "127.0.0.1", ...interfaceAddresses("IPv6"), ...interfaceAddresses("IPv4")]) {
        assert.ok(server.urls.includes(`http://${hostOf(address, port)}/`), `${address} in ${server.urls.join(", ")}`);
      }
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /no authentication/);
    });
  });

  const publicAddress = interfaceAddresses("IPv4")[0];
  test(`a public address (${publicAddress ?? "none on this machine"}): the warning, and its URL`, async (t) => {
    if (!publicAddress) {
      if (process.env.TUNEBOOK_REQUIRE_ALL === "1") assert.fail("this machine has no non-loopback IPv4 address to bind");
      t.skip("no non-loopback IPv4 address");
      return;
    }
    await withServer(publicAddress, async (server, warnings) => {
      const port = new URL(server.url).port;
      assert.equal(server.url, `http://${publicAddress}:${port}/`);
      assert.deepEqual(server.urls, [server.url]);
      assert.equal(warnings.length, 1);
      assert.ok(warnings[0].includes(server.url), warnings[0]);
      assert.match(warnings[0], /no authentication/);
    });
  });
});
