// What the server reports as its version. Clients parse server_version to pick
// features, so it must look like the PostgreSQL release we reproduce; version()
// also names the product.
export const PRODUCT_NAME = 'pipelinedb-ts';
export const PRODUCT_VERSION = '0.1.0';
export const SERVER_VERSION = '11.22';
export const SERVER_VERSION_NUM = 110022;
