import { ConfigError } from '../../../src/core/errors';
import { isLoopback, resolveListen } from '../../../adapters/http/bind';
import { run } from '../../cli/helpers';

describe('the bind policy (resolveListen)', () => {
  it('listens on loopback when no host is asked for', () => {
    expect(resolveListen({ authConfigured: false })).toEqual({ host: '127.0.0.1', loopback: true });
    expect(resolveListen({ host: '', authConfigured: false })).toEqual({ host: '127.0.0.1', loopback: true });
    expect(resolveListen({ host: '::1', authConfigured: { '/dialogflow': false } })).toEqual({ host: '::1', loopback: true });
  });

  it('honours HOST beyond loopback when every user-data endpoint has auth', () => {
    expect(resolveListen({ host: '0.0.0.0', authConfigured: true })).toEqual({ host: '0.0.0.0', loopback: false });
    expect(resolveListen({ host: '10.0.0.5', authConfigured: { '/v1': true, '/dialogflow': true } })).toEqual({ host: '10.0.0.5', loopback: false });
  });

  it('refuses to bind beyond loopback when an endpoint lacks auth, naming it', () => {
    expect(() => resolveListen({ host: '0.0.0.0', authConfigured: false })).toThrow(ConfigError);
    expect(() => resolveListen({ host: '::', authConfigured: { '/v1': true, '/rasa/webhook': false } })).toThrow(/\/rasa\/webhook/);
    expect(() => resolveListen({ host: 'shop.example.com', authConfigured: { '/v1': false } })).toThrow(/beyond loopback/);
  });

  it('counts only addresses that cannot leave the machine as loopback', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) expect(isLoopback(a)).toBe(true);
    for (const a of ['0.0.0.0', '::', '10.0.0.1', '::ffff:10.0.0.1', '127.0.0.1.example.com', 'example.com', '', undefined]) expect(isLoopback(a)).toBe(false);
  });
});

describe('attune serve', () => {
  const saved = process.env.ATTUNE_API_KEYS;
  afterEach(() => {
    if (saved === undefined) delete process.env.ATTUNE_API_KEYS;
    else process.env.ATTUNE_API_KEYS = saved;
  });

  it('refuses --host beyond loopback without ATTUNE_API_KEYS, before opening anything', async () => {
    delete process.env.ATTUNE_API_KEYS;
    await expect(run(['serve', '--host', '0.0.0.0', '--port', '0'])).rejects.toThrow(ConfigError);
  });
});
