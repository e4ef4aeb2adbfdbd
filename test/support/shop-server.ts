/**
 * The shop demo (examples/ecommerce) served on a free loopback port, with an emulated Bot
 * Framework connector to catch its replies: what every end-to-end test of the shop starts with.
 */
import type { AddressInfo } from 'node:net';
import { createShopApp, type ShopAppOptions } from '../../examples/ecommerce/app';
import type { Attune } from '../../src/engine/attune';
import { startConnector } from './emulator';

/** A running shop: its base URL, the connector its replies reach, and how to stop both. */
export interface RunningShop {
  base: string;
  connector: Awaited<ReturnType<typeof startConnector>>;
  close(): Promise<void>;
}

/** Serves the shop app for `attune` (with `options`, e.g. API keys; default none) and starts a connector for it. */
export async function startShop(attune: Attune, options?: ShopAppOptions): Promise<RunningShop> {
  const server = createShopApp(attune, options).app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const connector = await startConnector();
  return {
    base,
    connector,
    close: async () => {
      await new Promise((r) => server.close(r));
      await connector.close();
    },
  };
}
