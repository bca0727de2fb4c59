/**
 * What the processes of `--workers` on SQLite say to each other. The writer (the process started first) holds the
 * database; each server process holds a RemoteStore and a RemoteBus that ask it over one channel: Node's IPC with
 * V8 serialisation, which carries Buffers as Buffers. See writer.ts, link.ts, remote-store.ts and remote-bus.ts.
 */
import type { LiveEvent } from '../bus/port';
import type { Delivery, SignatureStatus } from '../../shared/types';
import type { CaptureBin, NewRequest, Store, StoredColumns } from '../store';

/** A store method a server process calls in the writer as it is: every one but those a side keeps to itself. */
export type StoreCall = Exclude<keyof Store, 'engine' | 'insertRequests' | 'binForCapture' | 'close' | 'isOpen'>;

/** A captured request as a server process hands it to the writer: with its columns, derived there. */
export type DerivedRequest = NewRequest & StoredColumns;

/**
 * What the writer adds to a capture the server process derived, which then has its whole stored record: its id, the
 * delivery attempt, what it pushed out, and the signature verdict (checked again when the bin's secrets changed).
 */
export interface Stored {
  id: number;
  delivery: Delivery | null;
  evicted: number[];
  signature: SignatureStatus | null;
  provider: string | null;
}

/** What the writer knows of a bin for capture, and the version of its secrets (see `insert`). */
export interface VersionedBin {
  bin: CaptureBin | null;
  version: number;
}

/** An error as it crosses: NotFoundError, ConflictError and StoreUnavailableError are rebuilt by name. */
export interface WireError {
  name: string;
  message: string;
}

export type ToWriter =
  | { type: 'call'; id: number; method: StoreCall; args: unknown[] }
  | { type: 'capture-bin'; id: number; binId: string }
  /**
   * Captures, each derived with the version of its bin's secrets in `secretsVersions`: the writer checks the
   * signatures again of those whose bin's secrets changed meanwhile.
   */
  | { type: 'insert'; id: number; requests: DerivedRequest[]; secretsVersions: number[]; maxRequests: number }
  /** The process's hub has a listener on the bin: send it the bin's requests from now on; answers the last id. */
  | { type: 'follow'; id: number; binId: string }
  | { type: 'unfollow'; binId: string }
  /** Events whose changes have committed (captures are announced by the writer itself, at their commit). */
  | { type: 'publish'; events: LiveEvent[] };

export type ToServer =
  | { type: 'answer'; id: number; value: unknown }
  | { type: 'failed'; id: number; error: WireError }
  /** The results of an insert, in order: each capture's Stored, or the error of a request whose bin was gone. */
  | { type: 'stored'; id: number; results: (Stored | WireError)[] }
  | { type: 'events'; events: LiveEvent[] }
  /** The bin was created, changed or deleted: what capture knows of it is out of date. */
  | { type: 'bin-changed'; binId: string };

/** One end of the channel. */
export interface Channel<In, Out> {
  send(message: Out): void;
  /** Registers the receiver of every message, in order. */
  onMessage(listener: (message: In) => void): void;
  /** Registers what to do when the other end is gone. */
  onClose(listener: () => void): void;
}
