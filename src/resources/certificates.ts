import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.certificates`: mTLS certificates uploaded to the organization. */
export class Certificates extends APIResource {
  /**
   * List uploaded certificates for this organization. Await for the first page, iterate for every item.
   * @example
   * for await (const cert of admin.certificates.list()) console.log(cert.name, cert.active);
   */
  list(query?: T.ListOrganizationCertificatesData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListOrganizationCertificatesResponse>, T.ListOrganizationCertificatesResponse> {
    return this._client._list(ops.listOrganizationCertificates, { query }, options);
  }

  /**
   * Upload a certificate to the organization. This does not automatically activate the certificate. Organizations
   * can upload up to 50 certificates. Not retried after an ambiguous failure, so it is never created twice.
   * @example
   * const cert = await admin.certificates.create({ name: 'mTLS client', certificate: pem });
   */
  create(body: T.UploadOrganizationCertificateData['body'], options?: RequestOptions): APIPromise<T.UploadOrganizationCertificateResponse> {
    return this._client._call(ops.uploadOrganizationCertificate, { body }, options);
  }

  /**
   * Get a certificate that has been uploaded to the organization. You can get a certificate regardless of whether
   * it is active or not.
   * @example
   * const cert = await admin.certificates.retrieve('cert_abc', { include: ['content'] });
   */
  retrieve(certificateId: string, query?: T.RetrieveOrganizationCertificateData['query'], options?: RequestOptions): APIPromise<T.RetrieveOrganizationCertificateResponse> {
    return this._client._call(ops.retrieveOrganizationCertificate, { path: { certificate_id: certificateId }, query }, options);
  }

  /**
   * Modify a certificate. Note that only the name can be modified.
   * @example
   * const cert = await admin.certificates.update('cert_abc', { name: 'mTLS client (2025)' });
   */
  update(certificateId: string, body: T.UpdateOrganizationCertificateData['body'], options?: RequestOptions): APIPromise<T.UpdateOrganizationCertificateResponse> {
    return this._client._call(ops.updateOrganizationCertificate, { path: { certificate_id: certificateId }, body }, options);
  }

  /**
   * Delete a certificate from the organization. The certificate must be inactive for the organization and all
   * projects.
   * @example
   * await admin.certificates.delete('cert_abc');
   */
  delete(certificateId: string, options?: RequestOptions): APIPromise<T.DeleteOrganizationCertificateResponse> {
    return this._client._call(ops.deleteOrganizationCertificate, { path: { certificate_id: certificateId } }, options);
  }

  /**
   * Activate certificates at the organization level. You can atomically and idempotently activate up to 10
   * certificates at a time.
   * @example
   * await admin.certificates.activate({ certificate_ids: ['cert_abc'] });
   */
  activate(body: T.ActivateOrganizationCertificatesData['body'], options?: RequestOptions): APIPromise<T.ActivateOrganizationCertificatesResponse> {
    return this._client._call(ops.activateOrganizationCertificates, { body }, options);
  }

  /**
   * Deactivate certificates at the organization level. You can atomically and idempotently deactivate up to 10
   * certificates at a time.
   * @example
   * await admin.certificates.deactivate({ certificate_ids: ['cert_abc'] });
   */
  deactivate(body: T.DeactivateOrganizationCertificatesData['body'], options?: RequestOptions): APIPromise<T.DeactivateOrganizationCertificatesResponse> {
    return this._client._call(ops.deactivateOrganizationCertificates, { body }, options);
  }
}

/** `admin.projects.certificates`: which organization certificates are active for a project. */
export class ProjectCertificates extends APIResource {
  /**
   * List certificates for this project. Await for the first page, iterate for every item.
   * @example
   * for await (const cert of admin.projects.certificates.list('proj_abc')) console.log(cert.name, cert.active);
   */
  list(projectId: string, query?: T.ListProjectCertificatesData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListProjectCertificatesResponse>, T.ListProjectCertificatesResponse> {
    return this._client._list(ops.listProjectCertificates, { path: { project_id: projectId }, query }, options);
  }

  /**
   * Activate certificates at the project level. You can atomically and idempotently activate up to 10 certificates
   * at a time.
   * @example
   * await admin.projects.certificates.activate('proj_abc', { certificate_ids: ['cert_abc'] });
   */
  activate(projectId: string, body: T.ActivateProjectCertificatesData['body'], options?: RequestOptions): APIPromise<T.ActivateProjectCertificatesResponse> {
    return this._client._call(ops.activateProjectCertificates, { path: { project_id: projectId }, body }, options);
  }

  /**
   * Deactivate certificates at the project level. You can atomically and idempotently deactivate up to 10
   * certificates at a time.
   * @example
   * await admin.projects.certificates.deactivate('proj_abc', { certificate_ids: ['cert_abc'] });
   */
  deactivate(projectId: string, body: T.DeactivateProjectCertificatesData['body'], options?: RequestOptions): APIPromise<T.DeactivateProjectCertificatesResponse> {
    return this._client._call(ops.deactivateProjectCertificates, { path: { project_id: projectId }, body }, options);
  }
}
