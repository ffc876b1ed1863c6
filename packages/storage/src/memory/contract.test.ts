import { describeObjectStoreContract } from '../testing/index.ts';
import { MemoryObjectStore } from '../index.ts';

describeObjectStoreContract('memory', () => new MemoryObjectStore({ name: 'contract' }));
