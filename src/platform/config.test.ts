import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to the embedded database on 127.0.0.1:3000 with demo data', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, demoData: true });
    expect(c.dataDir).toMatch(/data$/);
  });

  it('reads every documented variable', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@h/db',
      KANKEI_DATA_DIR: '/tmp/k',
      KANKEI_DEMO_DATA: '0',
      SMTP_URL: 'smtp://mail:25',
      PUBLIC_URL: 'https://kankei.example.jp',
      KANKEI_ADMIN_EMAIL: 'a@example.jp',
      KANKEI_ADMIN_PASSWORD: 'long-enough-password',
    });
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u@h/db',
      dataDir: '/tmp/k',
      demoData: false,
      smtpUrl: 'smtp://mail:25',
      publicUrl: 'https://kankei.example.jp',
      adminEmail: 'a@example.jp',
      adminPassword: 'long-enough-password',
    });
  });

  it('seeds demo data only on the embedded database unless KANKEI_DEMO_DATA=1 asks for it', () => {
    expect(loadConfig({}).demoData).toBe(true);
    expect(loadConfig({ KANKEI_DEMO_DATA: '0' }).demoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).demoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', KANKEI_DEMO_DATA: '' }).demoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', KANKEI_DEMO_DATA: '1' }).demoData).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', KANKEI_DEMO_DATA: 'true' }).demoData).toBe(true);
  });

  it('names every bad variable in one error', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        KANKEI_DEMO_DATA: 'maybe',
        KANKEI_ADMIN_PASSWORD: 'short',
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const text = (e as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'KANKEI_DEMO_DATA', 'KANKEI_ADMIN_PASSWORD'])
        expect(text).toContain(name);
    }
  });

  it('refuses a common or repetitive first admin password, as the account pages do', () => {
    expect(() => loadConfig({ KANKEI_ADMIN_PASSWORD: 'password1234' })).toThrow(/KANKEI_ADMIN_PASSWORD.*commonly used/);
    expect(() => loadConfig({ KANKEI_ADMIN_PASSWORD: 'abababababab' })).toThrow(/KANKEI_ADMIN_PASSWORD/);
    expect(loadConfig({ KANKEI_ADMIN_PASSWORD: 'snow-on-gassan-in-april' }).adminPassword).toBe(
      'snow-on-gassan-in-april',
    );
  });

  it('takes PUBLIC_URL as an origin only and refuses paths, queries and credentials', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://kankei.example.jp/' }).publicUrl).toBe('https://kankei.example.jp');
    for (const bad of [
      'https://kankei.example.jp/app',
      'https://kankei.example.jp/?x=1',
      'https://u:p@kankei.example.jp',
      'ftp://kankei.example.jp',
    ]) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
  });

  it('reads TRUST_PROXY as a list of addresses or ranges and refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,loopback' }).trustProxy).toBe(
      '10.0.0.1,192.168.0.0/16,loopback',
    );
    for (const bad of ['true', '*', 'proxy.example.jp'])
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
  });
});
