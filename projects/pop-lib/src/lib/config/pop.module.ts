import { ModuleWithProviders, NgModule } from '@angular/core';
import { PopConfig, POP_CONFIG } from './pop-config';
import { validatePopConfig } from './validate-pop-config';

/** Configures pop-lib in an NgModule app: `imports: [PopModule.forRoot({...})]`. */
@NgModule()
export class PopModule {
  /** Validates at once, like `providePop`: a bad configuration throws `PopError('config_invalid')`. */
  static forRoot(config: PopConfig): ModuleWithProviders<PopModule> {
    return { ngModule: PopModule, providers: [{ provide: POP_CONFIG, useValue: validatePopConfig(config) }] };
  }
}
