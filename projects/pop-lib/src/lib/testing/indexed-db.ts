/** Test helper: a database name no other test uses. */
export function freshDbName(): string {
  return `pop-lib-test-${crypto.randomUUID()}`;
}

/** Test helper: deletes a test database (open store connections close on `versionchange`). */
export function deleteDb(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

/** Test helper: every value in the object store of the database `name`, read raw. */
export async function rawRecords(name: string, objectStore = 'hmac-keys'): Promise<{ keys: IDBValidKey[]; values: unknown[] }> {
  const db = await openRaw(name);
  try {
    if (!db.objectStoreNames.contains(objectStore)) return { keys: [], values: [] };
    const store = db.transaction(objectStore, 'readonly').objectStore(objectStore);
    const [keys, values] = await Promise.all([result(store.getAllKeys()), result(store.getAll())]);
    return { keys, values };
  } finally {
    db.close();
  }
}

/** Test helper: writes `value` straight into the object store (as other script could). */
export async function putRaw(name: string, value: unknown, objectStore = 'hmac-keys'): Promise<void> {
  const db = await openRaw(name);
  try {
    const transaction = db.transaction(objectStore, 'readwrite');
    await result(transaction.objectStore(objectStore).put(value));
  } finally {
    db.close();
  }
}

function openRaw(name: string): Promise<IDBDatabase> {
  return result(indexedDB.open(name));
}

function result<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
