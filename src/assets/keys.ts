/** Where an uploaded asset's bytes live in R2: content-addressed, shared by every event that uploads them. */
export const assetKey = (hash: string) => `assets/${hash}`;

/**
 * A note, left by the renderer, that the asset's stored bytes could not be drawn (lost or damaged
 * after upload); the admin warns about it until the file is uploaded again.
 */
export const undrawableAssetKey = (hash: string) => `asset-problems/${hash}`;
