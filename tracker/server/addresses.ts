import { isIP } from "node:net";
import { networkInterfaces } from "node:os";

/**
 * The addresses a server binds, as the UI must treat them: whether only this machine
 * can reach them, and the URLs they are reached at.
 */

/** True for an address only this machine can reach: 127.0.0.0/8 and ::1 (also written as IPv4-mapped IPv6). */
export function isLoopback(address: string): boolean {
  const v4 = address.replace(/^::ffff:/i, "");
  if (isIP(v4) === 4) return v4.startsWith("127.");
  return isIP(address) === 6 && hostPort(address) === "[::1]";
}

/** True for 0.0.0.0 and ::, which bind every interface. */
export function isWildcard(address: string): boolean {
  return isIP(address) !== 0 && ["0.0.0.0", "[::]"].includes(hostPort(address));
}

/**
 * An address (or name) and port as a URL names them, and as a browser writes the Host
 * header: lower case, IPv6 in brackets and compressed, port 80 left out.
 */
export function hostPort(address: string, port?: number): string {
  const host = isIP(address) === 6 ? `[${address}]` : address;
  return new URL(`http://${host}${port === undefined ? "" : `:${port}`}/`).host;
}

/**
 * Every URL a server bound to `address` answers at, loopback first. A wildcard stands
 * for the address of each interface (:: for the IPv4 ones too, as Node binds it
 * dual-stack); link-local IPv6 addresses are left out, as browsers cannot open them.
 */
export function reachableUrls(address: string, port: number): string[] {
  if (!isWildcard(address)) return [`http://${hostPort(address, port)}/`];
  const families = hostPort(address) === "[::]" ? ["IPv6", "IPv4"] : ["IPv4"];
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => families.includes(a.family) && !/^fe80:/i.test(a.address))
    .sort((a, b) => Number(b.internal) - Number(a.internal) || families.indexOf(a.family) - families.indexOf(b.family));
  return [...new Set(addresses.map((a) => `http://${hostPort(a.address, port)}/`))];
}
