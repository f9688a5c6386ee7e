import type { App } from './types.ts';
import { systemRoutes } from '../modules/system/routes.tsx';
import { stateRoutes } from '../modules/directory/state.routes.tsx';
import { regionalOrganisationRoutes } from '../modules/directory/regional-organisation.routes.tsx';
import { participationRoutes } from '../modules/directory/participation/participation.routes.tsx';
import { pocRoutes } from '../modules/directory/poc/poc.routes.tsx';
import { pocApiRoutes } from '../modules/directory/poc/poc.api.ts';
import { exportRoutes } from '../modules/directory/poc/export.routes.tsx';
import { verifyRoutes } from '../modules/directory/poc/verify.routes.tsx';
import { oversightRoutes } from '../modules/directory/poc/oversight.routes.tsx';
import { consentRoutes } from '../modules/directory/poc/consent.routes.tsx';
import { importRoutes } from '../modules/directory/poc/import.routes.tsx';
import { accountRoutes } from '../modules/account/account.routes.tsx';
import { passkeyRoutes } from '../modules/account/passkey.routes.tsx';
import { userRoutes } from '../modules/users/user.routes.tsx';
import { auditRoutes } from '../modules/audit/audit.routes.tsx';
import { tokenRoutes } from '../modules/tokens/token.routes.tsx';
import { libraryRoutes } from '../modules/library/library.routes.tsx';
import { searchRoutes } from '../modules/library/search/search.routes.tsx';
import { aknRoutes } from '../modules/library/akn/akn.routes.ts';
import { graphRoutes } from '../modules/library/graph/graph.routes.tsx';
import { compareRoutes } from '../modules/library/compare.routes.tsx';
import { frameworkRoutes } from '../modules/framework/framework.routes.tsx';

/** Every module's routes. A module adds itself here and nowhere else. */
export async function registerRoutes(app: App): Promise<void> {
  await systemRoutes(app);
  await stateRoutes(app);
  await regionalOrganisationRoutes(app);
  await pocRoutes(app);
  await pocApiRoutes(app);
  await exportRoutes(app);
  await verifyRoutes(app);
  await oversightRoutes(app);
  await consentRoutes(app);
  await importRoutes(app);
  await participationRoutes(app);
  await accountRoutes(app);
  await passkeyRoutes(app);
  await userRoutes(app);
  await auditRoutes(app);
  await tokenRoutes(app);
  await libraryRoutes(app);
  await searchRoutes(app);
  await aknRoutes(app);
  await graphRoutes(app);
  await compareRoutes(app);
  await frameworkRoutes(app);
}
