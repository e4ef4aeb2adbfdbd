import { ConfigError } from '../../src/core/errors';
import { shopConfigFromEnv } from '../../examples/ecommerce/config';

const KEYS = 'ingest-key-0123456789:ingest,admin-key-0123456789a:admin';
const EVERYTHING = { ATTUNE_API_KEYS: KEYS, DIALOGFLOW_WEBHOOK_SECRET: 'df-secret-1', ATTUNE_RASA_TOKEN: 'rasa-token-1', MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'app-pw' };

describe('npm start configuration (shopConfigFromEnv)', () => {
  it('out of the box: loopback, generated keys, both webhooks open on loopback, saying so and how to configure them', () => {
    const config = shopConfigFromEnv({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3978);
    expect(config.app.dialogflowAuth).toBe('open');
    expect(config.app.rasaAuth).toBe('open');
    const out = config.notices.join('\n');
    expect(out).toMatch(/generated API keys/);
    expect(out).toMatch(/\/dialogflow: OPEN.*loopback.*DIALOGFLOW_WEBHOOK_SECRET.*DIALOGFLOW_WEBHOOK_USER \+ DIALOGFLOW_WEBHOOK_PASSWORD/);
    expect(out).toMatch(/\/rasa\/webhook: OPEN.*loopback.*ATTUNE_RASA_TOKEN.*action_endpoint\.token/);
  });

  it('configured credentials are used, not open mode, and the output says they are required', () => {
    const config = shopConfigFromEnv({ DIALOGFLOW_WEBHOOK_SECRET: 'df-secret-1', ATTUNE_RASA_TOKEN: 'rasa-token-1' });
    expect(config.app.dialogflowAuth).toEqual({ headers: { 'x-webhook-secret': 'df-secret-1' } });
    expect(config.app.rasaAuth).toEqual({ token: 'rasa-token-1' });
    expect(config.notices.join('\n')).not.toMatch(/OPEN/);
  });

  it('HOST is honoured when every user-data endpoint has auth', () => {
    expect(shopConfigFromEnv({ ...EVERYTHING, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('refuses HOST beyond loopback when something is unauthenticated, naming what', () => {
    expect(() => shopConfigFromEnv({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    const { ATTUNE_RASA_TOKEN: _rasa, ...noRasa } = EVERYTHING;
    expect(() => shopConfigFromEnv({ ...noRasa, HOST: '0.0.0.0' })).toThrow(/\/rasa\/webhook \(ATTUNE_RASA_TOKEN\)/);
    const { MicrosoftAppId: _id, ...noBot } = EVERYTHING;
    expect(() => shopConfigFromEnv({ ...noBot, HOST: '0.0.0.0' })).toThrow(/\/api\/messages/);
    const { ATTUNE_API_KEYS: _keys, ...noKeys } = EVERYTHING;
    expect(() => shopConfigFromEnv({ ...noKeys, HOST: '0.0.0.0' })).toThrow(/\/v1/);
  });

  it('refuses explicit open mode when bound beyond loopback', () => {
    const { DIALOGFLOW_WEBHOOK_SECRET: _df, ATTUNE_RASA_TOKEN: _rasa, ...noWebhooks } = EVERYTHING;
    expect(() => shopConfigFromEnv({ ...noWebhooks, ATTUNE_WEBHOOK_OPEN: '1', HOST: '0.0.0.0' })).toThrow(/\/dialogflow.*\/rasa\/webhook/);
    expect(shopConfigFromEnv({ ...noWebhooks, ATTUNE_WEBHOOK_OPEN: '1' }).app.dialogflowAuth).toBe('open');
  });

  it('stops on a half-configured credential or a bad rate limit, whatever the host', () => {
    expect(() => shopConfigFromEnv({ DIALOGFLOW_WEBHOOK_USER: 'dialogflow' })).toThrow(ConfigError);
    expect(() => shopConfigFromEnv({ ATTUNE_RASA_TOKEN: '' })).toThrow(ConfigError);
    expect(() => shopConfigFromEnv({ ATTUNE_RATE_LIMIT_PER_MINUTE: 'fast' })).toThrow(ConfigError);
    expect(shopConfigFromEnv({ ATTUNE_RATE_LIMIT_PER_MINUTE: '120' }).app.ratePerMinute).toBe(120);
  });
});
