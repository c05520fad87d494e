// What the server reports as its version. Clients parse server_version to pick
// features, so it must look like the PostgreSQL release we reproduce.
export const PRODUCT_NAME = 'pipelinedb-ts';
export const PRODUCT_VERSION = '0.1.0';
export const SERVER_VERSION = '11.22';
export const SERVER_VERSION_NUM = 110022;
export const VERSION_STRING = `PostgreSQL ${SERVER_VERSION} (${PRODUCT_NAME} ${PRODUCT_VERSION}) on x86_64-pc-linux-gnu, compiled by TypeScript, 64-bit`;
