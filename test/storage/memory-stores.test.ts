import { SecondFactorHasher } from '../../src/cases/second-factor.js';
import { MemoryConversationLog } from '../../src/directline/memory-conversation-log.js';
import { MemoryCaseStore } from '../../src/storage/memory/memory-case-store.js';
import { MemoryConversationStorage } from '../../src/storage/memory/memory-conversation-storage.js';
import { TEST_GUARD, TEST_SECRET } from '../helpers/redis.js';
import { caseStoreContract } from './case-store-contract.js';
import { conversationLogContract } from './conversation-log-contract.js';
import { conversationStorageContract } from './conversation-storage-contract.js';

const hasher = new SecondFactorHasher(TEST_SECRET);

caseStoreContract('in memory', () => Promise.resolve({ store: new MemoryCaseStore(hasher, TEST_GUARD), cleanup: () => Promise.resolve() }));

conversationStorageContract('in memory', (idleMs) => Promise.resolve({ storage: new MemoryConversationStorage(idleMs), cleanup: () => Promise.resolve() }));

conversationLogContract('in memory', (turnLeaseMs) => Promise.resolve({ log: new MemoryConversationLog(turnLeaseMs), cleanup: () => Promise.resolve() }));
