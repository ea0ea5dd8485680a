import { echo } from './echo.activity';

/** Every activity the orchestrator registers; workflows proxy this type. */
export function createActivities() {
  return { echo };
}
export type OrchestratorActivities = ReturnType<typeof createActivities>;
