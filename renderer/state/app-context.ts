/** The services every component may need, shared with @lit/context. */
import { createContext } from '@lit/context';
import type { CallEngine } from '../call/call-engine.ts';
import type { DeviceService } from '../devices/device-service.ts';
import type { AppStore } from './app-store.ts';

export interface AppServices {
  store: AppStore;
  engine: CallEngine;
  /** Device lists, the user's resolved choices, capture constraints, the ringer's sink id. */
  devices: DeviceService;
}

export const appServicesContext = createContext<AppServices | null>(Symbol('softphone-services'));
