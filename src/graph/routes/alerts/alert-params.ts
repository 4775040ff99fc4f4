/** Path schemas of the alert routes. */
import { Type } from '@sinclair/typebox';
import { KEY } from '../../route-schemas.js';

export const ALERT_PARAMS = Type.Object({ alertId: KEY });
export const INCIDENT_PARAMS = Type.Object({ alertId: KEY, incidentId: KEY });
export const CONFIGURATION_PARAMS = Type.Object({ configurationId: KEY });
export const DEFINITION_PARAMS = Type.Object({ definitionId: KEY });
