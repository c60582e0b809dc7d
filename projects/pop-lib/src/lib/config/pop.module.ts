import { HTTP_INTERCEPTORS } from '@angular/common/http';
import { ModuleWithProviders, NgModule } from '@angular/core';
import { PopInterceptor } from '../http/pop-interceptor';
import { PopConfig, POP_CONFIG } from './pop-config';
import { validatePopConfig } from './validate-pop-config';

/** Configures pop-lib in an NgModule app: `imports: [PopModule.forRoot({...})]`. */
@NgModule()
export class PopModule {
  /**
   * Validates at once, like `providePop`: a bad configuration throws `PopError('config_invalid')`.
   * Also registers the ClientJWT interceptor (`PopInterceptor`) in `HTTP_INTERCEPTORS`; import
   * `PopModule.forRoot` after the module whose interceptor sets `Authorization`.
   */
  static forRoot(config: PopConfig): ModuleWithProviders<PopModule> {
    return {
      ngModule: PopModule,
      providers: [
        { provide: POP_CONFIG, useValue: validatePopConfig(config) },
        { provide: HTTP_INTERCEPTORS, useClass: PopInterceptor, multi: true },
      ],
    };
  }
}
