import { type SarifLevel } from './sarif-level';

/** The part of the SARIF 2.1.0 object model that XORB writes. */
export interface SarifLog {
  $schema: typeof SARIF_SCHEMA_URI;
  version: '2.1.0';
  runs: SarifRun[];
}

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifRun {
  tool: { driver: SarifToolComponent };
  results: SarifResult[];
  properties: Record<string, unknown>;
}

export interface SarifToolComponent {
  name: string;
  informationUri: string;
  semanticVersion: string;
  rules: SarifRule[];
}

export interface SarifText {
  text: string;
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifText;
  fullDescription: SarifText;
  help: SarifText;
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; 'security-severity'?: string; [key: string]: unknown };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifText;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}
