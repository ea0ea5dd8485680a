import { beforeAll, describe, expect, it } from 'vitest';
import {
  APP_LAYERS_BUDGET_MB,
  APPS,
  BASE_BUDGET_MB,
  baseImage,
  GUIDE_SIZE_MB,
  imageName,
  SIZE_BUDGET_MB,
  TARGETS,
} from './support/constants';
import { imageInfo } from './support/docker';
import { ensureImages } from './support/images';
import { mb, report } from './support/report';

describe('6. Size analysis', () => {
  beforeAll(() => ensureImages(APPS, TARGETS));

  it('production images stay within their budgets, far below the guide’s figures', async ({ task }) => {
    const base = await imageInfo(baseImage());
    const baseMb = mb(base.Size);
    const rows: string[] = [
      '| image | size | app layers (above the base) | budget | guide | vs guide |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
    ];
    let total = 0;
    let appLayers = 0;
    const failures: string[] = [];
    for (const app of APPS) {
      const info = await imageInfo(imageName(app, 'production'));
      const size = mb(info.Size);
      const own = Math.round((size - baseMb) * 10) / 10;
      total += size;
      appLayers += own;
      const saving = Math.round((1 - size / GUIDE_SIZE_MB[app]) * 100);
      rows.push(
        `| ${imageName(app, 'production')} | ${size} MB | ${own} MB | ≤ ${SIZE_BUDGET_MB[app]} MB (app ≤ ${APP_LAYERS_BUDGET_MB[app]} MB) | ~${GUIDE_SIZE_MB[app]} MB | −${saving}% |`,
      );
      if (size > SIZE_BUDGET_MB[app]) failures.push(`${app}: ${size} MB > ${SIZE_BUDGET_MB[app]} MB`);
      if (own > APP_LAYERS_BUDGET_MB[app]) {
        failures.push(`${app} app layers: ${own} MB > ${APP_LAYERS_BUDGET_MB[app]} MB`);
      }
    }
    const guideTotal = APPS.reduce((sum, app) => sum + GUIDE_SIZE_MB[app], 0);
    const onDisk = Math.round((baseMb + appLayers) * 10) / 10;
    rows.push(
      `| **total (3 images)** | ${Math.round(total * 10) / 10} MB | ${Math.round(appLayers * 10) / 10} MB | | ~${guideTotal} MB | −${Math.round((1 - total / guideTotal) * 100)}% |`,
      `| on disk (base shared) | ${onDisk} MB | | | | |`,
      `| base ${baseImage()} | ${baseMb} MB | | ≤ ${BASE_BUDGET_MB} MB | | |`,
    );
    const others = [];
    for (const app of APPS) {
      for (const target of TARGETS.filter((name) => name !== 'production')) {
        others.push(`${imageName(app, target)} ${mb((await imageInfo(imageName(app, target))).Size)} MB`);
      }
    }
    report(task, 'Image sizes (MB = 10^6 bytes, uncompressed, as `docker images` shows)', [
      ...rows,
      `development/testing images (not shipped): ${others.join(', ')}`,
    ]);
    expect(failures).toEqual([]);
    expect(baseMb).toBeLessThanOrEqual(BASE_BUDGET_MB);
    expect(total).toBeLessThan(guideTotal * 0.8);
  });

  it('the production image adds two layers of its own on top of the shared runtime layers', async () => {
    const runtimeLayers = new Set<string>();
    for (const app of APPS) {
      const layers = (await imageInfo(imageName(app, 'production'))).RootFS.Layers ?? [];
      const base = (await imageInfo(baseImage())).RootFS.Layers ?? [];
      // base, runtime (apt + user, entrypoint, healthcheck), production (tool removal, deps, dist)
      runtimeLayers.add(layers.slice(base.length, base.length + 3).join(','));
      expect(layers.length - base.length).toBeLessThanOrEqual(7);
    }
    // The runtime layers are identical for the three apps: stored once.
    expect(runtimeLayers.size).toBe(1);
  });
});
