import type * as TslabJupyter from "tslab/dist/jupyter.js";
import { TunebookError } from "../core/errors.js";
import type { CommManager, CommMessageType } from "./comms.js";
import type { CellHistory, HistoryRequest } from "./history.js";
import { type FrameSink, peekMessageType, readMessage, type WireMessage } from "./wire.js";

/**
 * The Jupyter requests tslab leaves unanswered (or answers wrongly), answered by
 * wrapping its server object: `comm_info_request`, `comm_open` / `comm_msg` /
 * `comm_close` from the frontend, `history_request`, and `interrupt_request` (on the
 * control channel, for kernelspecs with `"interrupt_mode": "message"`). Every other
 * message goes to tslab as before.
 */

type Server = InstanceType<typeof TslabJupyter.ZmqServer>;
type Handler = InstanceType<typeof TslabJupyter.JupyterHandlerImpl>;
type WriteDisplayData = Parameters<Handler["handleExecute"]>[2];

export interface ProtocolParts {
  comms: CommManager;
  history: CellHistory;
  /** What the kernel does on SIGINT. */
  interrupt(): void;
  /** tslab's writer of the running cell's displays (it sets one per cell as the cell starts). */
  runningWriter(): WriteDisplayData | null;
}

/** What the running cell's request asked, for the kernel's own bookkeeping. */
export interface RunningRequest {
  silent: boolean;
  storeHistory: boolean;
}

export interface Protocol {
  /** The execute request of the running cell, or null between cells. */
  runningRequest(): RunningRequest | null;
}

const REQUEST = Symbol("tunebook.request");
type TaggedWriter = WriteDisplayData & { [REQUEST]?: WireMessage };

/** Wraps `server` and `handler` (before `server.init()`); comm messages the kernel sends go out on IOPub. */
export function extendProtocol(server: Server, handler: Handler, parts: ProtocolParts): Protocol {
  const key = () => server.connInfo.key;
  const iopub = () => server.iopub as unknown as FrameSink;
  const requests = new WeakMap<object, WireMessage>();
  let handling: WireMessage | null = null;
  let lastParent: WireMessage | null = null;

  // tslab gives each cell its own display writer and makes it current as the cell
  // starts; tagged with its request, it says which request is running.
  const serverExecute = server.handleExecute.bind(server);
  server.handleExecute = (socket, message) => {
    requests.set(message.content, message as unknown as WireMessage);
    lastParent = message as unknown as WireMessage;
    return serverExecute(socket, message);
  };
  const handlerExecute = handler.handleExecute.bind(handler);
  handler.handleExecute = (request, writeStream, writeDisplayData) => {
    const tagged: TaggedWriter = Object.assign((data: Parameters<WriteDisplayData>[0], update: boolean) => writeDisplayData(data, update), {
      [REQUEST]: requests.get(request),
    });
    return handlerExecute(request, writeStream, tagged);
  };
  const running = (): WireMessage | null => (parts.runningWriter() as TaggedWriter | null)?.[REQUEST] ?? null;

  const send = (socket: FrameSink, parent: WireMessage, type: string, content: Record<string, unknown>) => {
    const message = parent.createReply();
    message.header.msg_type = type;
    message.content = content;
    message.signAndSend(key(), socket);
  };

  parts.comms.setTransport({
    send(type: CommMessageType, content, parent) {
      const to = (parent as WireMessage | null) ?? lastParent;
      if (to) send(iopub(), to, type, content);
    },
    currentParent: () => handling ?? running() ?? lastParent,
  });

  const answers: Record<string, (socket: FrameSink, message: WireMessage) => void> = {
    comm_info_request(socket, message) {
      const target = message.content.target_name;
      send(socket, message, "comm_info_reply", {
        status: "ok",
        comms: parts.comms.info(typeof target === "string" && target !== "" ? target : undefined),
      });
    },
    comm_open: (_socket, message) => parts.comms.handleOpen(message.content),
    comm_msg: (_socket, message) => parts.comms.handleMessage(message.content),
    comm_close: (_socket, message) => parts.comms.handleClose(message.content),
    history_request(socket, message) {
      try {
        send(socket, message, "history_reply", { status: "ok", history: parts.history.query(message.content as HistoryRequest) });
      } catch (error) {
        if (!(error instanceof TunebookError)) throw error;
        send(socket, message, "history_reply", { status: "error", ename: error.name, evalue: error.message, traceback: [], history: [] });
      }
    },
    interrupt_request(socket, message) {
      parts.interrupt();
      send(socket, message, "interrupt_reply", { status: "ok" });
    },
  };

  const shellMessage = server.handleShellMessage.bind(server);
  server.handleShellMessage = async (socket, ...frames) => {
    const type = peekMessageType(frames);
    const answer = type === null ? undefined : answers[type];
    if (!answer) return shellMessage(socket, ...frames);
    let message: WireMessage;
    try {
      message = readMessage(key(), frames);
    } catch (error) {
      console.error(`Dropped a ${type}: ${(error as Error).message}.`);
      return;
    }
    lastParent = message;
    send(iopub(), message, "status", { execution_state: "busy" });
    handling = message;
    try {
      answer(socket as unknown as FrameSink, message);
    } catch (error) {
      console.error(`Error answering ${type}:`, error);
    } finally {
      handling = null;
      send(iopub(), message, "status", { execution_state: "idle" });
    }
  };

  return {
    runningRequest() {
      const content = running()?.content;
      if (!content) return null;
      return { silent: content.silent === true, storeHistory: content.store_history !== false };
    },
  };
}
