import { describeRunStorageContract } from '../contract.ts';
import { MemoryRunStorage } from '../index.ts';

describeRunStorageContract('memory', async () => new MemoryRunStorage({ name: 'contract' }));
