import type { Logger } from '../../common/logger.ts';
import type { Directory, DirectoryHandlers } from '../directory.ts';
import type { Presence } from '../presence.ts';

export interface RedisDirectoryOptions {
  url: string;
  nodeId: string;
  presence: Presence;
  heartbeatIntervalMs: number;
  log: Logger;
  handlers: DirectoryHandlers;
}

export class RedisDirectory {
  static async connect(_options: RedisDirectoryOptions): Promise<Directory> {
    throw new Error('Redis is not supported yet');
  }
}
