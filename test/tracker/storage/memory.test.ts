import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { runStorageContract } from "./contract.js";

runStorageContract("memory", () => new InMemoryStorage());
