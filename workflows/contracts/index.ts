export * from './case';
export * from './cataract';
