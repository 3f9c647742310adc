import { agentUpdateOfferSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { checkedDashboardUrl } from '../dashboard-url.js';
import { UpdateOfferSource, updateOffer, type ServedUpdate } from './update-offer.js';

const served: ServedUpdate = { version: '0.2.0', sha256: 'ab'.repeat(32), dashboardUrl: 'https://vigil.example.com' };

describe('updateOffer', () => {
  it('offers the served bundle, from the dashboard, to an agent on another version', () => {
    const offer = updateOffer('0.1.0', served);
    expect(offer).toEqual({ version: '0.2.0', sha256: served.sha256, url: 'https://vigil.example.com/vigil-agent.mjs' });
    expect(agentUpdateOfferSchema.parse(offer)).toEqual(offer);
    // A newer agent than the served one is offered it too: the dashboard's version is the fleet's.
    expect(updateOffer('0.3.0', served)?.version).toBe('0.2.0');
  });

  it('offers nothing to an agent on the served version, or when nothing is served', () => {
    expect(updateOffer('0.2.0', served)).toBeUndefined();
    expect(updateOffer('0.1.0', null)).toBeUndefined();
  });

  it('joins the URL without a doubled slash', () => {
    expect(updateOffer('0.1.0', { ...served, dashboardUrl: 'http://127.0.0.1:5002/' })?.url).toBe('http://127.0.0.1:5002/vigil-agent.mjs');
  });
});

describe('UpdateOfferSource', () => {
  const bundle = () => ({ version: served.version, sha256: served.sha256 });

  it('resolves once and offers by version', () => {
    let resolutions = 0;
    const source = new UpdateOfferSource(
      bundle,
      () => {
        resolutions += 1;
        return checkedDashboardUrl('https://vigil.example.com/', false);
      },
      () => {
        throw new Error('no warning expected');
      },
    );
    expect(source.offerFor('0.1.0')?.url).toBe('https://vigil.example.com/vigil-agent.mjs');
    expect(source.offerFor('0.2.0')).toBeUndefined();
    expect(resolutions).toBe(1);
  });

  it('offers nothing without DASHBOARD_URL, and says so once per instance, not per report', () => {
    const warnings: Record<string, unknown>[] = [];
    const source = new UpdateOfferSource(
      bundle,
      () => checkedDashboardUrl('', false),
      (_message, fields) => warnings.push(fields),
    );
    for (let report = 0; report < 3; report += 1) expect(source.offerFor('0.1.0')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]!.fault)).toContain('DASHBOARD_URL is not set');
  });

  it('offers nothing when the functions were built without the bundle', () => {
    const warnings: unknown[] = [];
    const source = new UpdateOfferSource(
      () => {
        throw new Error('the agent version is missing');
      },
      () => 'https://vigil.example.com',
      (message) => warnings.push(message),
    );
    expect(source.offerFor('0.1.0')).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});
