import { PostgresStorage } from "../../../tracker/storage/postgres.js";
import type { Storage } from "../../../tracker/storage/storage.js";
import { skipWithoutPostgres, testPostgres } from "../../helpers/postgres.js";
import { runStorageContract } from "./contract.js";

const server = await testPostgres();
const skip = skipWithoutPostgres(server);

/** Each test gets a fresh schema, dropped when its storage closes. */
async function freshStorage(): Promise<Storage> {
  if (typeof server === "string") throw new Error(server);
  const { url, drop } = await server.freshSchema();
  const storage = new PostgresStorage(url);
  const close = storage.close.bind(storage);
  storage.close = async () => {
    await close();
    await drop();
  };
  return storage;
}

runStorageContract("PostgreSQL", freshStorage, { skip, propertyRuns: 25 });
