export { createDiskStorage } from './disk-storage.js';
export { detectFileKind, FILE_KINDS, type FileKind } from './file-kind.js';
export {
  type PutOptions,
  type StoredUpload,
  type UploadRefusal,
  UploadRefusedError,
  type UploadStorage,
} from './upload-storage.js';
