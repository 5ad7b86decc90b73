/** Where an uploaded asset's bytes live in R2: content-addressed, shared by every event that uploads them. */
export const assetKey = (hash: string) => `assets/${hash}`;
