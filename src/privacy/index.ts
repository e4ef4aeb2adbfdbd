/**
 * Privacy primitives: pure building blocks that the stores and turn stages wire together.
 * Every export is named here; nothing is re-exported wholesale.
 */

// PII redaction (Presidio-style recognizers and operators)
export {
  createRedactor,
  resolveOverlaps,
  DEFAULT_FIELD_TYPES,
  TRAIT_FIELD_TYPES,
  type Redactor,
  type RedactorOptions,
  type RedactionResult,
} from './redact';
export {
  BUILTIN_RECOGNIZERS,
  PII_TYPES,
  TEXT_PII_TYPES,
  type Finding,
  type FieldPiiType,
  type PiiType,
  type Recognizer,
  type TextPiiType,
} from './recognizers';
export { compileOperator, type Operator, type OperatorFn } from './operators';
export { cardNumberValid, ibanLength, ibanValid, luhnValid, ssnValid } from './checksums';

// Key rings from the environment
export { findKey, keyRingFromEnv, parseKeyRing, type EnvKeyOptions, type Key, type KeyRing, type KeyRingRules } from './keyring';

// Pseudonymous ids
export {
  DEVELOPMENT_ID_KEY,
  ID_KEY_ENV,
  idKeyRingFromEnv,
  isPseudonym,
  parseIdKeyRing,
  pseudonymize,
  pseudonymKeyId,
  pseudonymsOf,
} from './pseudonym';

// Encryption at rest
export {
  createCipher,
  DecryptionError,
  DEVELOPMENT_ENCRYPTION_KEY,
  ENCRYPTION_KEYS_ENV,
  encryptionKeyId,
  encryptionKeysFromEnv,
  isEncrypted,
  parseEncryptionKeys,
  type Cipher,
  type DecryptionFailure,
  type EncryptedFields,
} from './cipher';

// Consent
export {
  allows,
  ConsentBodySchema,
  consentFromEvent,
  consentFromSegmentContext,
  consentFromTraits,
  DEFAULT_SEGMENT_CATEGORIES,
  mergeConsent,
  parseConsentBody,
  PURPOSES,
  type Consent,
  type ConsentPolicy,
  type Purpose,
} from './consent';

// Audit
export {
  apiKeyId,
  AUDIT_ACTIONS,
  auditRecord,
  AuditRecordSchema,
  type AuditAction,
  type AuditDetails,
  type AuditInput,
  type AuditOutcome,
  type AuditRecord,
} from './audit';
