import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Jupyter's wire protocol (messaging 5.3) for the requests the tunebook kernel
 * answers itself: a message read from its frames (signature checked) and replies
 * signed and sent the way tslab's own server sends them, so both kinds mix on one
 * socket.
 */

/** The frame between the routing identities and the signed parts. */
const DELIMITER = Buffer.from("<IDS|MSG>");

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

/** Something a message is sent on: a zeromq socket (tslab's sockets take an array of frames). */
export interface FrameSink {
  send(frames: (Buffer | string)[]): unknown;
}

/** One message, received or about to be sent. The same shape as tslab's messages, so either can be a parent. */
export interface WireMessage {
  identity: Buffer[];
  header: MessageHeader;
  parent: MessageHeader | Record<string, never>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  /** A reply to this message: same session and routing identities, this header as parent. */
  createReply(): WireMessage;
  signAndSend(key: string, socket: FrameSink): void;
}

/** The `msg_type` of a raw message, without checking its signature (null when the frames are not a message). */
export function peekMessageType(frames: readonly Buffer[]): string | null {
  const at = frames.findIndex((frame) => frame.equals(DELIMITER));
  if (at < 0 || frames.length < at + 6) return null;
  try {
    const header = JSON.parse(frames[at + 2].toString("utf8")) as { msg_type?: unknown };
    return typeof header.msg_type === "string" ? header.msg_type : null;
  } catch {
    return null;
  }
}

/** Reads a message from its frames; throws when it is malformed or its signature does not match `key`. */
export function readMessage(key: string, frames: readonly Buffer[]): WireMessage {
  const at = frames.findIndex((frame) => frame.equals(DELIMITER));
  if (at < 0 || frames.length < at + 6) throw new Error("a Jupyter message without its delimiter or parts");
  const signature = frames[at + 1].toString("utf8");
  const parts = frames.slice(at + 2, at + 6);
  if (key !== "") {
    const expected = Buffer.from(sign(key, parts), "utf8");
    const given = Buffer.from(signature, "utf8");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("a Jupyter message with a bad signature");
  }
  const [header, parent, metadata, content] = parts.map((part) => JSON.parse(part.toString("utf8")));
  return message(frames.slice(0, at), header, parent, metadata, content);
}

function message(
  identity: Buffer[],
  header: MessageHeader,
  parent: WireMessage["parent"],
  metadata: Record<string, unknown>,
  content: Record<string, unknown>,
): WireMessage {
  return {
    identity,
    header,
    parent,
    metadata,
    content,
    createReply() {
      return message(
        this.identity,
        {
          msg_id: randomBytes(16).toString("hex"),
          msg_type: this.header.msg_type,
          session: this.header.session,
          username: this.header.username,
          date: new Date().toISOString(),
          version: "5.3",
        },
        this.header,
        {},
        {},
      );
    },
    signAndSend(key, socket) {
      const parts = [this.header, this.parent, this.metadata, this.content].map((part) => JSON.stringify(part));
      socket.send([...this.identity, DELIMITER, key === "" ? "" : sign(key, parts), ...parts]);
    },
  };
}

function sign(key: string, parts: readonly (Buffer | string)[]): string {
  const hmac = createHmac("sha256", key);
  for (const part of parts) hmac.update(part);
  return hmac.digest("hex");
}
