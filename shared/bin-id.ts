/**
 * What a bin id may be (contract.md, "Capture": "A bin id is 1–64 characters of A-Z a-z 0-9 _ -"). The capture route and the
 * viewer's new-bin form check ids against this one pattern.
 */
export const BIN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
