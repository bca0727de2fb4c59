/**
 * The credential decoder, shared by the server (analysis.credentials, analysis.warnings, authLabel, redaction)
 * and the viewer (live decoding, reveal). Pure and synchronous: no node:* modules, no DOM; nothing here throws.
 */
export { decodeCredentials } from './decode';
export type { CredentialInput, DecodedCredentials } from './decode';
export { authLabel } from './label';
export { revealSecret } from './reveal';
export { redactCredentials } from './redact';
export type { RedactedRequest, RedactInput } from './redact';
export { isCredentialHeaderName, isCredentialQueryParam, isSignatureHeaderName } from './header-names';
export { maskSecret } from './mask';
export { maskQuery } from './mask-query';
export { joinQuery, parseQuery } from './query';
export type { QueryPart } from './query';
export { decodeBasic } from './basic';
export { decodeBearer } from './bearer';
export { decodeJose } from './jwt';
export { decodeDigest } from './digest';
export { decodeSigV4 } from './sigv4';
export { decodeAuthorization } from './authorization';
export { identifyToken, TOKEN_FORMATS } from './token-prefixes';
export type { DecodedValue } from './decoded';
export { sha256Hex, useNativeSha256 } from './sha256';
