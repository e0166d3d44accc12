export * from './projection';
export * from './projector';
export * from './inventory/inventory.projection';
export * from './inventory/inventory-row';
export * from './accounts/accounts.projection';
